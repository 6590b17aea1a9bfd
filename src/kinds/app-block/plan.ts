/**
 * App blocks: the calls that make one block match its declaration, or delete it when pruned.
 * There is no UpdateAppBlock, so a change of anything but tags deletes the block and creates it
 * again; AWS refuses to delete a block that applications use (ResourceInUseException).
 */
import { diffTags } from '../../diff/collections.js';
import type { AppBlockConfig } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import { ownerOf, ownRecord, toolTags, type AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import {
  appstreamCall,
  attributeDelta,
  change,
  declarationDigest,
  declaredKeys,
  inPlace,
  ownershipProblem,
  refused,
  replacing,
  tagCalls,
  tagLimitProblem,
  type DiffSpec,
  type PlanContext,
  type ResourcePlan,
  type Subject,
} from '../resource.js';
import { APP_BLOCK_ATTRIBUTES, APP_BLOCK_TABLE, type AppBlockAttribute } from './attributes.js';
import type { LiveAppBlock } from './live.js';
import { normalizeAppBlock, normalizeAppBlockAttribute, type AppBlockValues, type NormalAppBlock } from './normalize.js';

const deleteBlock = (name: string) => appstreamCall('DeleteAppBlock', { Name: name });

/** An APPSTREAM2 block starts INACTIVE: what the plan says of it. */
const INACTIVE = 'INACTIVE until an app block builder packages its applications into the VHD (PackagingType APPSTREAM2); its applications cannot launch before';

export function liveAppBlockNormal(live: LiveAppBlock): NormalAppBlock {
  return normalizeAppBlock({ ...(live.block as AppBlockValues), Tags: live.tags });
}

export function liveAppBlockDigest(live: LiveAppBlock, normal = liveAppBlockNormal(live)): string {
  const { block } = live;
  return digest({ attributes: normal.attributes, state: block.State, errors: block.AppBlockErrors ?? [], tags: live.tags });
}

interface Desired {
  normal: NormalAppBlock;
  declared: Set<string>;
  record: AppliedRecord;
  tool: Record<string, string>;
}

/** The declaration in normal form, and the record an apply of it writes. */
function desiredBlock(ctx: PlanContext, config: AppBlockConfig): Desired {
  const declared = declaredKeys(config);
  declared.delete('Name');
  const normal = normalizeAppBlock(config as AppBlockValues);
  const record: AppliedRecord = {
    d: declarationDigest(declared, { ...normal.attributes, Tags: normal.tags }),
    a: APP_BLOCK_ATTRIBUTES.filter((attribute) => declared.has(attribute) && normal.attributes[attribute] !== undefined),
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
  };
  return { normal, declared, record, tool: toolTags(ctx.project, record) };
}

export function planDeclaredBlock(ctx: PlanContext, config: AppBlockConfig, live: LiveAppBlock | undefined, subject: Subject, liveNormal?: NormalAppBlock): ResourcePlan {
  const desired = desiredBlock(ctx, config);
  if (!live) return planCreate(config, desired, subject);

  const tags = live.tags ?? {};
  const health = blockHealth(live, subject);
  const problem = ownershipProblem(ctx.project, tags);
  if (problem) return withDiagnostics(refused(subject, [problem]), health);
  const owned = ownerOf(tags) === ctx.project;
  const previous = ownRecord(ctx.project, tags);
  const normal = liveNormal ?? liveAppBlockNormal(live);
  const diffs = attributeDelta<AppBlockAttribute>({
    names: APP_BLOCK_ATTRIBUTES,
    table: APP_BLOCK_TABLE,
    want: desired.normal.attributes,
    have: normal.attributes,
    declared: desired.declared,
    recorded: previous?.a,
    absent: (attribute) => normalizeAppBlockAttribute(attribute, undefined),
  }).diffs;
  const tagDelta = diffTags(normal.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, previous?.t);

  if (replacing(APP_BLOCK_TABLE, diffs)) {
    if (!owned) return withDiagnostics(refused(subject, ['exists and is not owned by this project; it cannot change in place, and replacing it would delete it']), health);
    return withDiagnostics(planReplace(config, desired, normal, subject, previous, diffs, tagDelta.diff), health);
  }
  const tagging = tagCalls('appstream', live.block.Arn!, tags, tagDelta, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  return inPlace(subject, { calls: tagging.calls, diffs: tagDelta.diff ? [tagDelta.diff] : [], owned, previous, record: desired.record, diagnostics: health });
}

/** CreateAppBlock's input: every declared value and, on a replace, the values set elsewhere that the config leaves alone. */
function createInput(config: AppBlockConfig, desired: Desired, kept: Partial<Record<AppBlockAttribute, unknown>> = {}): Record<string, unknown> {
  const input: Record<string, unknown> = { Name: config.Name };
  for (const attribute of APP_BLOCK_ATTRIBUTES) {
    const value = desired.declared.has(attribute) ? desired.normal.attributes[attribute] : kept[attribute];
    if (value !== undefined) input[attribute] = value;
  }
  input.Tags = { ...desired.normal.tags, ...desired.tool };
  return input;
}

const createsInactive = (input: Record<string, unknown>) => input.PackagingType === 'APPSTREAM2';

function planCreate(config: AppBlockConfig, desired: Desired, subject: Subject): ResourcePlan {
  const input = createInput(config, desired);
  const problem = tagLimitProblem(Object.keys(input.Tags as object), desired.tool);
  if (problem) return refused(subject, [problem]);
  const { Name: _, Tags: __, ...set } = input;
  const diffs: DiffSpec[] = [
    ...Object.entries(set).map(([path, after]) => ({ path, after })),
    ...(Object.keys(desired.normal.tags).length ? [{ path: 'Tags', after: desired.normal.tags }] : []),
  ];
  return {
    change: change(subject, { action: 'create', diffs, ...(createsInactive(input) ? { reason: `created ${INACTIVE}` } : {}) }),
    calls: [appstreamCall('CreateAppBlock', input)],
    diagnostics: [],
    // A new block: nothing it is created with replaces anything.
    attributes: {},
  };
}

/** Deleted and created anew from the declaration; what the config does not manage is carried over from the old block. */
function planReplace(config: AppBlockConfig, desired: Desired, normal: NormalAppBlock, subject: Subject, previous: AppliedRecord | undefined, diffs: DiffSpec[], tagDiff: DiffSpec | undefined): ResourcePlan {
  const recorded = new Set(previous?.a ?? []);
  const kept = Object.fromEntries(APP_BLOCK_ATTRIBUTES.filter((attribute) => !recorded.has(attribute)).map((attribute) => [attribute, normal.attributes[attribute]]));
  const input = createInput(config, desired, kept);
  const problem = tagLimitProblem(Object.keys(input.Tags as object), desired.tool);
  if (problem) return refused(subject, [problem]);
  const changed = diffs.filter((diff) => APP_BLOCK_TABLE[diff.path]?.impact === 'replace').map((diff) => diff.path);
  const inactive = createsInactive(input) ? `; the new block is ${INACTIVE}` : '';
  return {
    change: change(subject, {
      action: 'replace',
      drift: previous?.d === desired.record.d,
      diffs: [...diffs, ...(tagDiff ? [tagDiff] : [])],
      reason: `${changed.join(', ')} cannot change on an app block (there is no UpdateAppBlock): it is deleted and created again${inactive}`,
      reasonCode: 'replace_because_immutable',
    }),
    calls: [deleteBlock(config.Name), appstreamCall('CreateAppBlock', input)],
    diagnostics: [],
  };
}

/** Prune: AWS refuses while an application uses the block, so applications are deleted first. */
export function planBlockDeletion(live: LiveAppBlock, subject: Subject): ResourcePlan {
  return { change: change(subject, { action: 'delete' }), calls: [deleteBlock(live.block.Name!)], diagnostics: [] };
}

/** AppBlockErrors are errors and an INACTIVE block a warning, whether or not anything changes. */
function blockHealth(live: LiveAppBlock, subject: Subject): Diagnostic[] {
  const { block } = live;
  const at = { address: subject.address, ...(subject.source ? { source: subject.source } : {}) };
  const errors: Diagnostic[] = (block.AppBlockErrors ?? []).map((error) => ({
    severity: 'error',
    ...at,
    message: `app block error ${error.ErrorCode ?? 'UNKNOWN'}: ${error.ErrorMessage ?? 'no message'} (state ${block.State ?? 'unknown'})`,
  }));
  if (block.State === 'INACTIVE') errors.push({ severity: 'warning', ...at, message: `is ${INACTIVE}` });
  return errors;
}

function withDiagnostics(plan: ResourcePlan, diagnostics: Diagnostic[]): ResourcePlan {
  return { ...plan, diagnostics: [...plan.diagnostics, ...diagnostics] };
}
