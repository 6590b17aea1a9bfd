/**
 * App block builders: the calls that make one builder match its declaration, or delete it when
 * pruned. What a RUNNING builder cannot take in place (anything but DisplayName and Description,
 * and its app block) is done between StopAppBlockBuilder and StartAppBlockBuilder, each waited
 * for; a builder on its way to RUNNING or STOPPED is waited for first. A builder starts only with
 * an app block, so the association comes before the start; it is deleted only STOPPED and without
 * one, so prune stops, disassociates, then deletes.
 */
import { diffTags, setDiff } from '../../diff/collections.js';
import type { AppBlockBuilderConfig } from '../../config/types.js';
import { asSet } from '../../normalize/values.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, attributeDelta, change, createInput, creation, declaration, declarationDigest, declaredKeys, found, inPlace, isRunning, managed } from '../resource.js';
import { refused, resourceErrors, runningStateCalls, tagCalls, withDiagnostics } from '../resource.js';
import type { Declaration, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import type { AttributeTable } from '../types.js';
import { APP_BLOCK_BUILDER_ATTRIBUTES, appBlockBuilderTable, inPlaceWhileRunning, type AppBlockBuilderAttribute } from './attributes.js';
import { appBlockAddress, appBlockNameOf, type LiveAppBlockBuilder } from './live.js';
import { normalizeAppBlockBuilder, normalizeAppBlockBuilderAttribute, normalizeLiveAppBlockBuilder, type AppBlockBuilderValues, type NormalAppBlockBuilder } from './normalize.js';

const call = appstreamCall;
const { start: startBuilder, lifecycle, toStopped } = runningStateCalls({
  start: 'StartAppBlockBuilder',
  stop: 'StopAppBlockBuilder',
  describe: 'DescribeAppBlockBuilders',
  running: 'AppBlockBuilderRunning',
  stopped: 'AppBlockBuilderStopped',
});
const association = (operation: string, name: string, arn: string) => call(operation, { AppBlockArn: arn, AppBlockBuilderName: name });

type Json = Record<string, unknown>;

/** What the plans need beyond the builder itself. */
export interface AppBlockBuilderPlanEnv {
  /** The ARN of the app block of that name in this account and region; undefined when the account is not known. */
  appBlockArn(name: string): string | undefined;
  /** The app blocks the config declares, by name: a builder that names one depends on it. */
  declaredAppBlocks: ReadonlySet<string>;
  /** Whether describe found no app block of that name (it looks only for those the config does not declare). */
  missing(name: string): boolean;
}

export function liveAppBlockBuilderNormal(live: LiveAppBlockBuilder): NormalAppBlockBuilder {
  return normalizeLiveAppBlockBuilder(live.builder, live.tags);
}

/** Everything about the builder that the plan depends on, so that a saved plan can tell it went stale. */
export function liveAppBlockBuilderDigest(live: LiveAppBlockBuilder, normal = liveAppBlockBuilderNormal(live)): string {
  const { builder } = live;
  return digest({ attributes: normal.attributes, state: builder.State, errors: builder.AppBlockBuilderErrors ?? [], tags: live.tags, appBlocks: live.appBlocks });
}

interface Desired extends Declaration<NormalAppBlockBuilder> {
  /** The declared app blocks' names (null: none); undefined when not declared. */
  appBlocks?: string[];
}

/** The declaration in normal form, and the record an apply of it writes. */
const desiredBuilder = perDeclaration((config: AppBlockBuilderConfig, project: string): Desired => {
  const declared = declaredKeys(config);
  declared.delete('Name');
  const normal = normalizeAppBlockBuilder(config as AppBlockBuilderValues);
  const appBlocks = declared.has('AppBlocks') ? (asSet(config.AppBlocks) ?? []) : undefined;
  const record = {
    d: declarationDigest(declared, { ...normal.attributes, State: config.State, Tags: normal.tags, AppBlocks: appBlocks }),
    a: [...managed(APP_BLOCK_BUILDER_ATTRIBUTES, declared, normal.attributes), ...(['State', 'AppBlocks'] as const).filter((key) => declared.has(key))],
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
  };
  return { ...declaration(project, normal, declared, record), ...(appBlocks ? { appBlocks } : {}) };
});

/** The ARNs of these app blocks, or why they cannot be formed. */
function appBlockArns(names: readonly string[], env: AppBlockBuilderPlanEnv): Map<string, string> | { problem: string } {
  const arns = new Map<string, string>();
  for (const name of names) {
    if (!env.declaredAppBlocks.has(name) && env.missing(name)) return { problem: `app block ${name} does not exist and is not declared` };
    const arn = env.appBlockArn(name);
    if (!arn) return { problem: `the account is not known (no listed ARN names it, and STS GetCallerIdentity failed), so the ARN of app block ${name} cannot be formed` };
    arns.set(name, arn);
  }
  return arns;
}

const needsAppBlock = 'an app block builder can run only with an app block: declare AppBlocks, or State: STOPPED';

export function planDeclaredAppBlockBuilder(ctx: PlanContext, config: AppBlockBuilderConfig, live: LiveAppBlockBuilder | undefined, subject: Subject, env: AppBlockBuilderPlanEnv, liveNormal?: NormalAppBlockBuilder): ResourcePlan {
  const desired = desiredBuilder(config, ctx.project);
  const dependsOn = (desired.appBlocks ?? []).filter((name) => env.declaredAppBlocks.has(name)).map(appBlockAddress);
  if (!live) return planCreate(config, desired, subject, env, dependsOn);

  const { builder } = live;
  const name = config.Name;
  const existing = found(ctx.project, live.tags, subject, builderHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, previous, health } = existing;
  const running = isRunning(builder.State);
  const table = appBlockBuilderTable(running);
  const normal = liveNormal ?? liveAppBlockBuilderNormal(live);
  const delta = attributeDelta<AppBlockBuilderAttribute>({
    names: APP_BLOCK_BUILDER_ATTRIBUTES,
    table,
    want: desired.normal.attributes,
    have: normal.attributes,
    declared: desired.declared,
    recorded: previous?.a,
    absent: (attribute) => normalizeAppBlockBuilderAttribute(attribute, undefined),
  });
  const update = updateInput(name, delta.set, delta.clear, normal, table);

  // The app block: the declared one, none when the last apply managed it and the config no longer does.
  const have = (live.appBlocks ?? []).map(appBlockNameOf);
  const want = desired.appBlocks ?? (previous?.a?.includes('AppBlocks') ? [] : undefined);
  const added = (want ?? []).filter((block) => !have.includes(block));
  const removed = want ? have.filter((block) => !want.includes(block)) : [];
  const arns = appBlockArns(added, env);
  if ('problem' in arns) return withDiagnostics(refused(subject, [arns.problem]), health);
  const associations = [
    ...removed.map((block) => association('DisassociateAppBlockBuilderAppBlock', name, (live.appBlocks ?? []).find((arn) => appBlockNameOf(arn) === block)!)),
    ...added.map((block) => association('AssociateAppBlockBuilderAppBlock', name, arns.get(block)!)),
  ];
  const appBlockDiff: DiffSpec[] = associations.length ? [setDiff('AppBlocks', asSet(have) ?? [], want)] : [];
  const withAppBlock = (want ?? have).length > 0;

  const tagDelta = diffTags(normal.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, previous?.t);
  const tagging = tagCalls('appstream', builder.Arn!, tags, tagDelta, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  if (desired.declared.has('State') && config.State === 'RUNNING' && !withAppBlock) return withDiagnostics(refused(subject, [needsAppBlock]), health);
  const stateDiff: DiffSpec[] = desired.declared.has('State') && config.State !== (running ? 'RUNNING' : 'STOPPED') ? [{ path: 'State', before: builder.State, after: config.State }] : [];
  // Without State, the running state is not managed: a builder an operator stopped stays stopped (and one left without an app block cannot start).
  const keepRunning = (desired.declared.has('State') ? config.State === 'RUNNING' : running) && withAppBlock;
  const needsStop = associations.length > 0 || delta.diffs.some((diff) => !inPlaceWhileRunning(diff.path));
  const steps = lifecycle(name, builder.State, { changes: [...(update ? [call('UpdateAppBlockBuilder', update)] : []), ...associations], needsStop, keepRunning });
  const plan = inPlace(
    subject,
    {
      calls: [...steps.calls, ...tagging.calls],
      diffs: [...delta.diffs, ...appBlockDiff, ...stateDiff, ...(tagDelta.diff ? [tagDelta.diff] : [])],
      owned,
      previous,
      record: desired.record,
      diagnostics: health,
      dependsOn,
    },
    steps.stops ? { interruption: stopping(name) } : {},
  );
  return { ...plan, attributes: table };
}

const stopping = (name: string, what = 'stops') => `${what} app block builder ${name}: whoever works in it is disconnected, and what is not saved in an app block is lost`;

/** One UpdateAppBlockBuilder: changed values, plus AttributesToDelete for cleared ones (never both for one attribute). */
function updateInput(name: string, set: Partial<Record<AppBlockBuilderAttribute, unknown>>, clear: AppBlockBuilderAttribute[], live: NormalAppBlockBuilder, table: AttributeTable): Json | undefined {
  const toDelete = clear.map((attribute) => (table[attribute].clear as { attribute: string }).attribute);
  // VpcConfig is updated member by member: security groups no longer wanted are deleted by name.
  const vpc = set.VpcConfig as Json | undefined;
  if (vpc && !vpc.SecurityGroupIds && (live.attributes.VpcConfig as Json | undefined)?.SecurityGroupIds) toDelete.push('VPC_CONFIGURATION_SECURITY_GROUP_IDS');
  if (!Object.keys(set).length && !toDelete.length) return undefined;
  return { Name: name, ...set, ...(toDelete.length ? { AttributesToDelete: toDelete } : {}) };
}

/** Created STOPPED, associated with its app block, then started unless declared STOPPED (or it has no app block to start with). */
function planCreate(config: AppBlockBuilderConfig, desired: Desired, subject: Subject, env: AppBlockBuilderPlanEnv, dependsOn: string[]): ResourcePlan {
  const made = createInput(subject, { Name: config.Name }, APP_BLOCK_BUILDER_ATTRIBUTES, { declared: desired.declared, values: desired.normal.attributes, tags: desired.normal.tags, tool: desired.tool });
  if ('refusal' in made) return made.refusal;
  const { input } = made;
  const blocks = desired.appBlocks ?? [];
  if (config.State === 'RUNNING' && !blocks.length) return refused(subject, [needsAppBlock]);
  const arns = appBlockArns(blocks, env);
  if ('problem' in arns) return refused(subject, [arns.problem]);
  const more: DiffSpec[] = [...(blocks.length ? [{ path: 'AppBlocks', after: blocks }] : []), ...(config.State ? [{ path: 'State', after: config.State }] : [])];
  const starts = config.State !== 'STOPPED' && blocks.length > 0;
  return creation(subject, input, { tags: desired.normal.tags, more, dependsOn, ...(!config.State && !blocks.length ? { reason: 'created STOPPED: it has no app block to start with' } : {}) }, [
    call('CreateAppBlockBuilder', input),
    ...blocks.map((block) => association('AssociateAppBlockBuilderAppBlock', config.Name, arns.get(block)!)),
    ...(starts ? [startBuilder(config.Name)] : []),
  ]);
}

/** Prune: stopped (AWS deletes only a STOPPED builder), disassociated from its app block, deleted. */
export function planAppBlockBuilderDeletion(live: LiveAppBlockBuilder, subject: Subject): ResourcePlan {
  const name = live.builder.Name!;
  const state = live.builder.State;
  const appBlocks = live.appBlocks ?? [];
  return {
    change: change(subject, {
      action: 'delete',
      // Deleted before the app blocks it is associated with.
      dependsOn: appBlocks.map((arn) => appBlockAddress(appBlockNameOf(arn))),
      ...(isRunning(state) ? { interruption: stopping(name, 'stops and deletes') } : {}),
    }),
    calls: [
      ...toStopped(name, state),
      ...appBlocks.map((arn) => association('DisassociateAppBlockBuilderAppBlock', name, arn)),
      call('DeleteAppBlockBuilder', { Name: name }, 'AppBlockBuilderDeleted'),
    ],
    diagnostics: [],
  };
}

/** AppBlockBuilderErrors (a bad subnet, a missing role, …) are reported whether or not anything changes. */
function builderHealth(live: LiveAppBlockBuilder, subject: Subject): Diagnostic[] {
  return resourceErrors(subject, 'app block builder', live.builder.AppBlockBuilderErrors, { state: live.builder.State });
}
