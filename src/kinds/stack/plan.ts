/** Stacks: the calls that make one stack match its declaration, or delete it when pruned. */
import type { StackConfig } from '../../config/types.js';
import type { LiveStack } from './live.js';
import { diffStack, userSettingsShown, type StackDelta } from './diff.js';
import { normalizeStack, STACK_ATTRIBUTES, type NormalStack, type StackAttribute, type StackValues } from './normalize.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, change, declaration, declarationDigest, declaredKeys, found, inPlace, refused, resourceErrors, tagCalls, tagLimitProblem, withDiagnostics } from '../resource.js';
import type { CallSpec, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import { normalTheme, planTheme, withTheme } from './theme.js';

/**
 * How UpdateStack clears each attribute: through AttributesToDelete where a StackAttribute exists,
 * else by sending the value that means "none" (DisplayName and Description have no StackAttribute;
 * ApplicationSettings is never absent, its default is {Enabled: false}).
 */
export const CLEAR: Record<StackAttribute, { attribute: string } | { value: unknown }> = {
  DisplayName: { value: '' },
  Description: { value: '' },
  RedirectURL: { attribute: 'REDIRECT_URL' },
  FeedbackURL: { attribute: 'FEEDBACK_URL' },
  StorageConnectors: { attribute: 'STORAGE_CONNECTORS' },
  ApplicationSettings: { value: { Enabled: false } },
  AccessEndpoints: { attribute: 'ACCESS_ENDPOINTS' },
  EmbedHostDomains: { attribute: 'EMBED_HOST_DOMAINS' },
  StreamingExperienceSettings: { attribute: 'STREAMING_EXPERIENCE_SETTINGS' },
  ContentRedirection: { attribute: 'CONTENT_REDIRECTION' },
  AgentAccessConfig: { attribute: 'AGENT_ACCESS_CONFIG' },
};

const call = appstreamCall;

export function liveStackNormal(live: LiveStack): NormalStack {
  return normalizeStack({ ...live.stack, Fleets: live.fleets, Tags: live.tags } as StackValues);
}

/** Everything about the stack that the plan depends on, so that a saved plan can tell it went stale. */
export function liveStackDigest(live: LiveStack, normal = liveStackNormal(live)): string {
  const { attributes, userSettings, fleets } = normal;
  return digest({ attributes, userSettings, fleets, tags: live.tags, theme: live.theme });
}

/** What a stack declaration asks for, in normal form, and the record and tags an apply of it writes. */
const declaredStack = perDeclaration((config: StackConfig, project: string) => {
  const declared = declaredKeys(config);
  declared.delete('Name');
  const normal = normalizeStack(config as StackValues);
  const theme = config.Theme === undefined ? undefined : normalTheme(config.Theme);
  const record: AppliedRecord = withTheme(
    {
      d: declarationDigest(declared, { ...normal.attributes, UserSettings: normal.userSettings, Fleets: normal.fleets, Tags: normal.tags, Theme: theme }),
      a: STACK_ATTRIBUTES.filter((attribute) => declared.has(attribute) && normal.attributes[attribute] !== undefined),
      u: declared.has('UserSettings') ? Object.keys(normal.userSettings) : [],
      t: declared.has('Tags') ? Object.keys(normal.tags) : [],
      f: declared.has('Fleets') ? normal.fleets : [],
    },
    theme,
  );
  return {
    ...declaration(project, normal, declared, record),
    theme,
    themeDeclared: declaredKeys(config.Theme ?? {}),
    // A declared fleet is created (and started) before the stack is associated with it.
    dependsOn: (normal.fleets ?? []).map((fleet) => `fleet/${fleet}`),
  };
});

/** `liveNormal`: the live stack's normal form, when the caller has it already. */
export function planDeclaredStack(ctx: PlanContext, config: StackConfig, live: LiveStack | undefined, subject: Subject, liveNormal?: NormalStack): ResourcePlan {
  const { declared, normal, theme, record, tool, themeDeclared, dependsOn } = declaredStack(config, ctx.project);
  if (!live) return planCreate(config.Name, declared, normal, tool, subject, dependsOn, planTheme(config.Name, theme, themeDeclared, null, undefined));

  const existing = found(ctx.project, live.tags, subject, stackHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, previous, health } = existing;
  const current = liveNormal ?? liveStackNormal(live);
  const delta = diffStack({ normal, declared }, current, previous);
  const tagging = tagCalls('appstream', live.stack.Arn!, tags, delta.tags, tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);

  const update = updateStackInput(config.Name, delta);
  const themed = planTheme(config.Name, theme, themeDeclared, live.theme, previous);
  // The record is written by the last call, so a resource whose earlier call failed keeps its old record.
  const calls = [
    ...partialUpdateReset(config.Name, delta, current),
    ...(update ? [call('UpdateStack', update)] : []),
    ...delta.disassociate.map((fleet) => call('DisassociateFleet', { FleetName: fleet, StackName: config.Name })),
    ...delta.associate.map((fleet) => call('AssociateFleet', { FleetName: fleet, StackName: config.Name })),
    ...themed.calls,
    ...tagging.calls,
  ];
  return inPlace(subject, { calls, diffs: [...delta.diffs, ...themed.diffs], owned, previous, record, diagnostics: health, dependsOn });
}

/**
 * A stack that names a fleet which neither exists nor is declared is refused at plan time, rather
 * than failing halfway through an apply. `known` is undefined when the fleets were not listed.
 */
export function missingFleets(config: StackConfig, known: ReadonlySet<string> | undefined, subject: Subject): ResourcePlan | undefined {
  const missing = known ? (config.Fleets ?? []).filter((fleet) => !known.has(fleet)) : [];
  return missing.length ? refused(subject, missing.map((fleet) => `fleet ${fleet} does not exist and is not declared`)) : undefined;
}

/** CreateStack (tags and record included), the fleet associations, then the theme. */
function planCreate(
  name: string,
  declared: ReadonlySet<string>,
  normal: NormalStack,
  tool: Record<string, string>,
  subject: Subject,
  dependsOn: string[],
  theme: { diffs: DiffSpec[]; calls: CallSpec[] },
): ResourcePlan {
  const input: Record<string, unknown> = { Name: name };
  const diffs: DiffSpec[] = [];
  for (const attribute of STACK_ATTRIBUTES) {
    const value = normal.attributes[attribute];
    if (!declared.has(attribute) || value === undefined) continue;
    input[attribute] = value;
    diffs.push({ path: attribute, after: value });
  }
  const settings = Object.keys(normal.userSettings).sort();
  if (settings.length) {
    input.UserSettings = settings.map((action) => normal.userSettings[action]);
    diffs.push({ path: 'UserSettings', after: userSettingsShown(normal.userSettings) });
  }
  const fleets = normal.fleets ?? [];
  if (fleets.length) diffs.push({ path: 'Fleets', after: fleets });
  if (Object.keys(normal.tags).length) diffs.push({ path: 'Tags', after: normal.tags });
  diffs.push(...theme.diffs);
  input.Tags = { ...normal.tags, ...tool };
  const problem = tagLimitProblem(Object.keys(input.Tags as object), tool);
  if (problem) return refused(subject, [problem]);
  return {
    change: change(subject, { action: 'create', diffs, dependsOn }),
    calls: [call('CreateStack', input), ...fleets.map((fleet) => call('AssociateFleet', { FleetName: fleet, StackName: name })), ...theme.calls],
    diagnostics: [],
  };
}

/**
 * UpdateStack merges AgentAccessConfig into what the stack has, so a member the new value leaves out
 * (S3BucketArn, UserControlMode) would stay for ever: the old value is deleted first.
 */
function partialUpdateReset(name: string, delta: StackDelta, live: NormalStack): CallSpec[] {
  const wanted = delta.set.AgentAccessConfig as Record<string, unknown> | undefined;
  const had = live.attributes.AgentAccessConfig as Record<string, unknown> | undefined;
  const dropped = wanted && had && Object.keys(had).some((member) => member !== 'ScreenshotsUploadEnabled' && wanted[member] === undefined);
  return dropped ? [call('UpdateStack', { Name: name, AttributesToDelete: ['AGENT_ACCESS_CONFIG'] })] : [];
}

/** One UpdateStack: changed values, plus AttributesToDelete for cleared ones (never both for one attribute). */
function updateStackInput(name: string, delta: StackDelta): Record<string, unknown> | undefined {
  const input: Record<string, unknown> = { ...delta.set };
  // AgentAccessConfig updates are partial (a member left out stays as it is), so "off" is said explicitly.
  if (delta.set.AgentAccessConfig) input.AgentAccessConfig = { ScreenshotsUploadEnabled: false, ...(delta.set.AgentAccessConfig as object) };
  const toDelete: string[] = [];
  for (const attribute of delta.clear) {
    const how = CLEAR[attribute];
    if ('value' in how) input[attribute] = how.value;
    else toDelete.push(how.attribute);
  }
  // The complete desired list is sent; a connector type that must go is named, since AWS may merge lists by type.
  toDelete.push(...delta.removedConnectors.map((type) => `STORAGE_CONNECTOR_${type}`));
  if (delta.userSettings === 'clear') toDelete.push('USER_SETTINGS');
  else if (delta.userSettings) input.UserSettings = delta.userSettings;
  if (!Object.keys(input).length && !toDelete.length) return undefined;
  return { Name: name, ...input, ...(toDelete.length ? { AttributesToDelete: toDelete } : {}) };
}

/** Prune: fleets are disassociated first, since AWS refuses to delete a stack that has fleets. */
export function planStackDeletion(live: LiveStack, subject: Subject): ResourcePlan {
  const name = live.stack.Name!;
  return {
    change: change(subject, { action: 'delete', dependsOn: (live.fleets ?? []).map((fleet) => `fleet/${fleet}`) }),
    calls: [
      ...(live.fleets ?? []).map((fleet) => call('DisassociateFleet', { FleetName: fleet, StackName: name })),
      call('DeleteStack', { Name: name }),
    ],
    diagnostics: [],
  };
}

/** StackErrors (e.g. STORAGE_CONNECTOR_ERROR) are reported whether or not anything changes. */
function stackHealth(live: LiveStack, subject: Subject): Diagnostic[] {
  return resourceErrors(subject, 'stack', live.stack.StackErrors);
}
