/**
 * App blocks: the calls that make one block match its declaration, or delete it when pruned.
 * There is no UpdateAppBlock, so a change of anything but tags deletes the block and creates it
 * again; AWS refuses to delete a block that applications or builders use (ResourceInUseException),
 * so a block in use is not replaced, nor one that a declaration names pruned.
 */
import { diffTags } from '../../diff/collections.js';
import type { AppBlockConfig } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, attributeDelta, change, createInput, creation, declaration, declarationDigest, declaredKeys, diagnosticAt, found, immutable, inPlace, managed, refused, replacement, replacing, resourceErrors, tagCalls, unmanaged, withDiagnostics } from '../resource.js';
import type { Declaration, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
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

type Desired = Declaration<NormalAppBlock>;

/** The declaration in normal form, and the record an apply of it writes. */
const desiredBlock = perDeclaration((config: AppBlockConfig, project: string): Desired => {
  const declared = declaredKeys(config);
  declared.delete('Name');
  const normal = normalizeAppBlock(config as AppBlockValues);
  return declaration(project, normal, declared, {
    d: declarationDigest(declared, { ...normal.attributes, Tags: normal.tags }),
    a: managed(APP_BLOCK_ATTRIBUTES, declared, normal.attributes),
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
  });
});

/** What the block plans need beyond the block itself. */
export interface AppBlockPlanEnv {
  /** What uses the block of this ARN, as read ("application editor"): AWS refuses to delete a block in use. */
  usersOf(arn: string): string[];
}

export function planDeclaredBlock(ctx: PlanContext, config: AppBlockConfig, live: LiveAppBlock | undefined, subject: Subject, env: AppBlockPlanEnv, liveNormal?: NormalAppBlock): ResourcePlan {
  const desired = desiredBlock(config, ctx.project);
  if (!live) return planCreate(config, desired, subject);

  const existing = found(ctx.project, live.tags, subject, blockHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, previous, health } = existing;
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
    const users = env.usersOf(live.block.Arn!);
    if (users.length) {
      const message = `${immutable(APP_BLOCK_TABLE, diffs).join(', ')} cannot change on an app block, and AWS refuses to delete one in use (${users.join(', ')}): declare the new block under another name and point them to it; prune deletes this one once nothing uses it`;
      return withDiagnostics(refused(subject, [message]), health);
    }
    return withDiagnostics(planReplace(config, desired, normal, subject, previous, diffs, tagDelta.diff), health);
  }
  const tagging = tagCalls('appstream', live.block.Arn!, tags, tagDelta, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  return inPlace(subject, { calls: tagging.calls, diffs: tagDelta.diff ? [tagDelta.diff] : [], owned, previous, record: desired.record, diagnostics: health });
}

/** CreateAppBlock's input: every declared value and, on a replace, the values set elsewhere that the config leaves alone. */
const createBlock = (subject: Subject, config: AppBlockConfig, desired: Desired, kept: Partial<Record<AppBlockAttribute, unknown>> = {}) =>
  createInput(subject, { Name: config.Name }, APP_BLOCK_ATTRIBUTES, { declared: desired.declared, values: desired.normal.attributes, tags: desired.normal.tags, tool: desired.tool }, kept);

const createsInactive = (input: Record<string, unknown>) => input.PackagingType === 'APPSTREAM2';

function planCreate(config: AppBlockConfig, desired: Desired, subject: Subject): ResourcePlan {
  const made = createBlock(subject, config, desired);
  if ('refusal' in made) return made.refusal;
  const { input } = made;
  return creation(subject, input, { tags: desired.normal.tags, ...(createsInactive(input) ? { reason: `created ${INACTIVE}` } : {}) }, [appstreamCall('CreateAppBlock', input)]);
}

/** Deleted and created anew from the declaration; what the config does not manage is carried over from the old block. */
function planReplace(config: AppBlockConfig, desired: Desired, normal: NormalAppBlock, subject: Subject, previous: AppliedRecord | undefined, diffs: DiffSpec[], tagDiff: DiffSpec | undefined): ResourcePlan {
  const made = createBlock(subject, config, desired, unmanaged(APP_BLOCK_ATTRIBUTES, previous, normal.attributes));
  if ('refusal' in made) return made.refusal;
  const { input } = made;
  const inactive = createsInactive(input) ? `; the new block is ${INACTIVE}` : '';
  return {
    change: replacement(subject, {
      previous,
      record: desired.record,
      diffs: [...diffs, ...(tagDiff ? [tagDiff] : [])],
      reason: `${immutable(APP_BLOCK_TABLE, diffs).join(', ')} cannot change on an app block (there is no UpdateAppBlock): it is deleted and created again${inactive}`,
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
  return [...resourceErrors(subject, 'app block', block.AppBlockErrors, { state: block.State }), ...(block.State === 'INACTIVE' ? [diagnosticAt(subject, 'warning', `is ${INACTIVE}`)] : [])];
}
