/**
 * Applications: the calls that make one application match its declaration, or delete it when
 * pruned. Fleet associations follow the application on create and update and go before it on
 * delete; Name, Platforms and InstanceFamilies cannot change, so changing them replaces it.
 */
import type { ApplicationConfig } from '../../config/types.js';
import { asSet } from '../../normalize/values.js';
import { setDiff, diffTags } from '../../diff/collections.js';
import { digest } from '../../core/digest.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, attributeDelta, change, createInput, creation, declaration, declarationDigest, declaredKeys, diagnosticAt, found, immutable, inPlace, managed } from '../resource.js';
import { refused, replacement, replacing, tagCalls, unmanaged, withDiagnostics } from '../resource.js';
import type { Declaration, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import { APPLICATION_ATTRIBUTES, APPLICATION_TABLE, type ApplicationAttribute } from './attributes.js';
import { appBlockAddress, appBlockNameOf, type LiveApplication } from './live.js';
import { normalizeApplication, normalizeApplicationAttribute, type ApplicationValues, type NormalApplication } from './normalize.js';

const call = appstreamCall;

/**
 * A planned input member that stands for the ARN of a resource this plan creates, by its address
 * ({"$arnOf": "appBlock/office"}): apply puts the ARN in just before the call.
 */
export const ARN_OF = '$arnOf';
export const arnOf = (address: string) => ({ [ARN_OF]: address });

/** What a fleet named in Fleets is, as far as the plan can tell. */
export interface FleetFacts {
  FleetType?: string;
  Platform?: string;
}

/** What the application plans need beyond the application itself. */
export interface ApplicationPlanEnv {
  /** The account's app blocks, ARN by name (undefined: not read). */
  appBlocks?: Record<string, string>;
  /** The app blocks the config declares, by name. */
  declaredBlocks: ReadonlySet<string>;
  /** The fleets the config declares. */
  declaredFleets: ReadonlyMap<string, FleetFacts>;
  /** A fleet the config does not declare, as found: null when there is none, undefined when it was not looked up. */
  otherFleets(name: string): FleetFacts | null | undefined;
  /** The entitlements read that grant the application of this name. */
  entitlementsOf(name: string): { StackName: string; EntitlementName: string }[];
}

export function liveApplicationNormal(live: LiveApplication): NormalApplication {
  return normalizeApplication({ ...(live.application as ApplicationValues), Tags: live.tags });
}

/** Everything about the application that the plan depends on, so that a saved plan can tell it went stale. */
export function liveApplicationDigest(live: LiveApplication, normal = liveApplicationNormal(live)): string {
  return digest({ attributes: normal.attributes, enabled: live.application.Enabled, tags: live.tags, fleets: live.fleets });
}

/** AppBlockArn is the app block's ARN, or a reference to the one this plan creates. */
interface Desired extends Declaration<NormalApplication> {
  /** The declared fleets as a set; undefined when Fleets is not declared. */
  fleets?: string[];
  dependsOn: string[];
}

/** The declaration in normal form, with its app block resolved, and the record an apply of it writes. */
function desiredApplication(ctx: PlanContext, config: ApplicationConfig, env: ApplicationPlanEnv): Desired | { problems: string[] } {
  let appBlockArn: unknown = config.AppBlockArn;
  if (config.AppBlock !== undefined) {
    const found = env.appBlocks?.[config.AppBlock];
    if (found) appBlockArn = found;
    else if (env.declaredBlocks.has(config.AppBlock)) appBlockArn = arnOf(appBlockAddress(config.AppBlock));
    else return { problems: [`app block ${config.AppBlock} does not exist and is not declared`] };
  }
  const normal = normalizeApplication({ ...(config as ApplicationValues), AppBlockArn: appBlockArn });
  const problems = fleetProblems(config, normal, env);
  if (problems.length) return { problems };
  const declared = declaredKeys(config);
  declared.delete('Name');
  const fleets = declared.has('Fleets') ? (asSet(config.Fleets) ?? []) : undefined;
  const record: AppliedRecord = {
    // The app block as declared (name or ARN): an ARN known only once the block exists does not change the record.
    d: declarationDigest(declared, { ...normal.attributes, AppBlockArn: config.AppBlockArn, AppBlock: config.AppBlock, Tags: normal.tags, Fleets: fleets }),
    a: managed(APPLICATION_ATTRIBUTES, declared, normal.attributes),
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
    f: fleets ?? [],
  };
  const block = config.AppBlock ?? appBlockNameOf(config.AppBlockArn);
  // Created after its app block and its fleets.
  const dependsOn = [...(block ? [appBlockAddress(block)] : []), ...(fleets ?? []).map((fleet) => `fleet/${fleet}`)];
  return { ...declaration(ctx.project, normal, declared, record), ...(fleets ? { fleets } : {}), dependsOn };
}

/**
 * AWS associates applications with Elastic fleets only, whose platform the application lists:
 * known from the fleet's declaration, else from the account's fleet of that name.
 */
function fleetProblems(config: ApplicationConfig, normal: NormalApplication, env: ApplicationPlanEnv): string[] {
  const platforms = (normal.attributes.Platforms as string[] | undefined) ?? [];
  return (config.Fleets ?? []).flatMap((name) => {
    const fleet = env.declaredFleets.get(name) ?? env.otherFleets(name);
    if (fleet === null) return [`fleet ${name} does not exist and is not declared`];
    if (!fleet) return [];
    const type = fleet.FleetType ?? 'ON_DEMAND';
    if (type !== 'ELASTIC') return [`fleet ${name} is an ${type} fleet; applications can be associated only with Elastic fleets`];
    if (fleet.Platform && !platforms.includes(fleet.Platform)) return [`fleet ${name} runs ${fleet.Platform}, which is not among the application's Platforms (${platforms.join(', ')})`];
    return [];
  });
}

export function planDeclaredApplication(ctx: PlanContext, config: ApplicationConfig, live: LiveApplication | undefined, subject: Subject, env: ApplicationPlanEnv, liveNormal?: NormalApplication): ResourcePlan {
  const desired = desiredApplication(ctx, config, env);
  if ('problems' in desired) return refused(subject, desired.problems);
  if (!live) return planCreate(config, desired, subject);

  const existing = found(ctx.project, live.tags, subject, applicationHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, previous, health } = existing;
  const normal = liveNormal ?? liveApplicationNormal(live);
  const arn = live.application.Arn!;
  const attributes = attributeDiffs(config, desired, normal, previous);
  const fleets = fleetDelta(desired, live.fleets ?? [], previous);
  const tagDelta = diffTags(normal.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, previous?.t);
  const diffs = [...attributes.diffs, ...(fleets.diff ? [fleets.diff] : []), ...(tagDelta.diff ? [tagDelta.diff] : [])];

  if (replacing(APPLICATION_TABLE, attributes.diffs)) {
    if (!owned) return withDiagnostics(refused(subject, [`exists and is not owned by this project; its ${replaced(attributes.diffs)} cannot change in place, and replacing it would delete it`]), health);
    const kept = keptTags(normal.tags, tagDelta);
    return withDiagnostics(planReplace(config, desired, live, normal, subject, { previous, diffs, kept, fleets: fleets.want, entitlements: env.entitlementsOf(config.Name) }), health);
  }

  const tagging = tagCalls('appstream', arn, tags, tagDelta, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  const calls = [
    ...(attributes.update ? [call('UpdateApplication', attributes.update)] : []),
    ...disassociations(fleets.disassociate, arn),
    ...associations(fleets.associate, arn),
    ...tagging.calls,
  ];
  return inPlace(subject, { calls, diffs, owned, previous, record: desired.record, diagnostics: health, dependsOn: desired.dependsOn });
}

/** The UpdateApplication members' diffs (the app block shown by name where it is declared so) and the update's input. */
function attributeDiffs(config: ApplicationConfig, desired: Desired, live: NormalApplication, previous: AppliedRecord | undefined): { diffs: DiffSpec[]; update?: Record<string, unknown> } {
  const want = { ...desired.normal.attributes };
  const liveArn = live.attributes.AppBlockArn as string | undefined;
  // An app block of the same name has the same ARN: one the plan creates again is the one the application has.
  if (config.AppBlock !== undefined && appBlockNameOf(liveArn) === config.AppBlock) want.AppBlockArn = liveArn;
  const delta = attributeDelta<ApplicationAttribute>({
    names: APPLICATION_ATTRIBUTES,
    table: APPLICATION_TABLE,
    want,
    have: live.attributes,
    // One of AppBlockArn and AppBlock is always declared: either is compared as the ARN.
    declared: new Set([...desired.declared, 'AppBlockArn']),
    recorded: previous?.a,
    absent: (attribute) => normalizeApplicationAttribute(attribute, undefined),
  });
  const diffs = delta.diffs.map((diff) =>
    diff.path === 'AppBlockArn' && config.AppBlock !== undefined ? { path: 'AppBlock', ...(liveArn ? { before: appBlockNameOf(liveArn) ?? liveArn } : {}), after: config.AppBlock } : diff,
  );
  const { set } = delta;
  const toDelete = delta.clear.map((attribute) => (APPLICATION_TABLE[attribute].clear as { attribute: string }).attribute);
  const changes = Object.keys(set).length || toDelete.length;
  return { diffs, ...(changes ? { update: { Name: config.Name, ...set, ...(toDelete.length ? { AttributesToDelete: toDelete } : {}) } } : {}) };
}

/** A declared Fleets list is the whole set; without one, only the fleets the last apply associated are let go. */
function fleetDelta(desired: Desired, have: string[], previous: AppliedRecord | undefined): { want: string[]; diff?: DiffSpec; associate: string[]; disassociate: string[] } {
  const recorded = previous?.f ?? [];
  const want = desired.fleets ?? have.filter((fleet) => !recorded.includes(fleet));
  const diff = setDiff('Fleets', have, want);
  const associate = diff.added as string[];
  const disassociate = diff.removed as string[];
  return { want, associate, disassociate, ...(associate.length || disassociate.length ? { diff } : {}) };
}

/** The user's tags once the tag changes are made: a replaced application keeps those the config leaves alone. */
function keptTags(live: Record<string, string>, delta: ReturnType<typeof diffTags>): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(live).filter(([key]) => !delta.remove.includes(key))), ...delta.set };
}

const replaced = (diffs: DiffSpec[]) => immutable(APPLICATION_TABLE, diffs).join(' and ');

/** CreateApplication's input: every declared value (the app block always), and on a replace the values the config leaves alone. */
const createApplication = (subject: Subject, config: ApplicationConfig, desired: Desired, tags: Record<string, string>, kept: Partial<Record<ApplicationAttribute, unknown>> = {}) =>
  createInput(subject, { Name: config.Name }, APPLICATION_ATTRIBUTES, { declared: new Set([...desired.declared, 'AppBlockArn']), values: desired.normal.attributes, tags, tool: desired.tool }, kept);

const associations = (fleets: readonly string[], applicationArn: unknown) => fleets.map((fleet) => call('AssociateApplicationFleet', { FleetName: fleet, ApplicationArn: applicationArn }));

function planCreate(config: ApplicationConfig, desired: Desired, subject: Subject): ResourcePlan {
  const made = createApplication(subject, config, desired, desired.normal.tags);
  if ('refusal' in made) return made.refusal;
  const fleets = desired.fleets ?? [];
  const more: DiffSpec[] = [
    config.AppBlock !== undefined ? { path: 'AppBlock', after: config.AppBlock } : { path: 'AppBlockArn', after: made.input.AppBlockArn },
    ...(fleets.length ? [{ path: 'Fleets', after: fleets }] : []),
  ];
  // Its ARN is known once it exists: the associations name it by reference.
  const calls = [call('CreateApplication', made.input), ...associations(fleets, arnOf(subject.address))];
  return creation(subject, made.input, { tags: desired.normal.tags, more, omit: ['AppBlockArn'], dependsOn: desired.dependsOn }, calls);
}

/**
 * Disassociated from its fleets and from the entitlements that grant it (AWS refuses to delete it
 * otherwise), deleted, created anew from the declaration (what the config does not manage carried
 * over) and associated again: with the declared fleets, and with those entitlements, which the
 * entitlements' own plans, made from what AWS had, then change as declared. The ARN is the name's,
 * and an entitlement names it by name, so both stay the same.
 */
function planReplace(
  config: ApplicationConfig,
  desired: Desired,
  live: LiveApplication,
  normal: NormalApplication,
  subject: Subject,
  facts: { previous: AppliedRecord | undefined; diffs: DiffSpec[]; kept: Record<string, string>; fleets: string[]; entitlements: { StackName: string; EntitlementName: string }[] },
): ResourcePlan {
  const made = createApplication(subject, config, desired, facts.kept, unmanaged(APPLICATION_ATTRIBUTES, facts.previous, normal.attributes));
  if ('refusal' in made) return made.refusal;
  const arn = live.application.Arn!;
  const entitled = (operation: string) => facts.entitlements.map((entitlement) => call(operation, { ...entitlement, ApplicationIdentifier: config.Name }));
  const granted = facts.entitlements.map((entitlement) => `${entitlement.StackName}/${entitlement.EntitlementName}`);
  return {
    change: replacement(subject, {
      previous: facts.previous,
      record: desired.record,
      diffs: facts.diffs,
      reason: `${replaced(facts.diffs)} cannot change on an application (UpdateApplication does not take them): it is deleted, created again and associated with its fleets again${
        granted.length ? `; entitlement${granted.length === 1 ? '' : 's'} ${granted.join(', ')} grant${granted.length === 1 ? 's' : ''} it again` : ''
      }`,
      dependsOn: desired.dependsOn,
    }),
    calls: [
      ...disassociations(live.fleets ?? [], arn),
      ...entitled('DisassociateApplicationFromEntitlement'),
      call('DeleteApplication', { Name: config.Name }),
      call('CreateApplication', made.input),
      ...associations(facts.fleets, arn),
      ...entitled('AssociateApplicationToEntitlement'),
    ],
    diagnostics: [],
  };
}

const disassociations = (fleets: readonly string[], applicationArn: string) => fleets.map((fleet) => call('DisassociateApplicationFleet', { FleetName: fleet, ApplicationArn: applicationArn }));

/** Prune: AWS refuses to delete an application a fleet offers, so its fleets let go of it first; its app block goes after it. */
export function planApplicationDeletion(live: LiveApplication, subject: Subject): ResourcePlan {
  const block = appBlockNameOf(live.application.AppBlockArn);
  return {
    change: change(subject, { action: 'delete', dependsOn: [...(block ? [appBlockAddress(block)] : []), ...(live.fleets ?? []).map((fleet) => `fleet/${fleet}`)] }),
    calls: [...disassociations(live.fleets ?? [], live.application.Arn!), call('DeleteApplication', { Name: live.application.Name! })],
    diagnostics: [],
  };
}

/** A disabled application (AWS disables one that failed after image creation) is reported whether or not anything changes. */
function applicationHealth(live: LiveApplication, subject: Subject): Diagnostic[] {
  return live.application.Enabled === false ? [diagnosticAt(subject, 'warning', 'the application is disabled (Enabled: false): users cannot launch it')] : [];
}
