/**
 * Image builders: the calls that make one builder match its declaration, or delete it when
 * pruned. There is no UpdateImageBuilder, so a change of anything but tags and State deletes the
 * builder (stopped first: AWS deletes only a STOPPED or FAILED builder) and creates it again.
 * Every step is waited for: PENDING → RUNNING, STOPPING → STOPPED, DELETING → gone.
 */
import type { Image } from '@aws-sdk/client-appstream';
import { diffTags } from '../../diff/collections.js';
import type { ImageBuilderConfig } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import { perDeclaration } from '../../core/memo.js';
import type { AppliedRecord } from '../../core/ownership.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, attributeDelta, change, createInput, creation, declaration, declarationDigest, declaredKeys, diagnosticAt, found, immutable, inPlace, managed, newestImage } from '../resource.js';
import { refused, replacement, replacing, resourceErrors, runningStateCalls, tagCalls, unmanaged, withDiagnostics } from '../resource.js';
import type { CallSpec, Declaration, DiffSpec, PlanContext, ResourcePlan, Subject } from '../resource.js';
import { BUILDER_ATTRIBUTES, builderTable, UNREPORTED, type BuilderAttribute } from './attributes.js';
import type { ImageBuilderReads, LiveImageBuilder } from './live.js';
import { imageAccountOf, imageNameOf, normalizeBuilder, normalizeBuilderAttribute, normalizeLiveBuilder, softwareDigest, type BuilderValues, type NormalBuilder } from './normalize.js';

const call = appstreamCall;
const { start: startBuilder, stop: stopBuilder, settle } = runningStateCalls({
  start: 'StartImageBuilder',
  stop: 'StopImageBuilder',
  describe: 'DescribeImageBuilders',
  running: 'ImageBuilderRunning',
  stopped: 'ImageBuilderStopped',
});

/** States in which a builder is busy (making an image, updating its agent …): neither stopped nor replaced now. */
const BUSY = ['UPDATING_AGENT', 'REBOOTING', 'SNAPSHOTTING', 'UPDATING', 'PENDING_QUALIFICATION', 'PENDING_SYNCING_APPS', 'SYNCING_APPS', 'PENDING_IMAGE_IMPORT', 'DELETING'];

/** The attributes AWS reports back, compared with the live builder. */
const REPORTED = BUILDER_ATTRIBUTES.filter((attribute) => !UNREPORTED.includes(attribute));

/** Record entries that keep the digest of a software list ("SoftwaresToInstall=<digest>"): AWS does not report the lists. */
const softwareEntry = (attribute: BuilderAttribute, list: unknown) => `${attribute}=${softwareDigest(list)}`;
const recordedSoftware = (record: AppliedRecord | undefined, attribute: BuilderAttribute) =>
  record?.a?.find((entry) => entry.startsWith(`${attribute}=`))?.slice(attribute.length + 1);

export function liveBuilderNormal(live: LiveImageBuilder): NormalBuilder {
  return normalizeLiveBuilder(live.builder, live.tags);
}

export function liveBuilderDigest(live: LiveImageBuilder, normal = liveBuilderNormal(live)): string {
  const { builder } = live;
  return digest({ attributes: normal.attributes, state: builder.State, errors: builder.ImageBuilderErrors ?? [], tags: live.tags });
}

interface Desired extends Declaration<NormalBuilder> {
  /** Why the image is the one it is, when LatestImage chose it. */
  imageReason?: string;
}

const sharedAdvice = (image: Image) =>
  `it is shared with this account by account ${imageAccountOf(image.Arn) ?? 'another account'}: AWS finds a shared image only by ARN (a lookup by name fails, Terraform #25875), so declare ImageArn: ${image.Arn}`;

/** The image LatestImage chooses: the newest of the account's own; one only shared with the account must be named by ARN. */
function resolveLatest(prefix: string, images: readonly Image[]): { name: string; reason: string } | { problem: string } {
  const own = images.filter((image) => image.Visibility !== 'SHARED');
  const { image, matching } = newestImage(own, prefix);
  if (image) return { name: image.Name!, reason: `ImageName ${image.Name} from LatestImage "${prefix}": the newest of ${matching} matching AVAILABLE image${matching === 1 ? '' : 's'}` };
  const shared = newestImage(images, prefix).image;
  return {
    problem: shared
      ? `LatestImage "${prefix}": the only matching image, ${shared.Name}, is not the account's own: ${sharedAdvice(shared)}`
      : `LatestImage: no AVAILABLE image of the account has a name starting with "${prefix}"`,
  };
}

/** The declaration in normal form, with LatestImage resolved, and the record an apply of it writes. */
function desiredBuilder(ctx: PlanContext, config: ImageBuilderConfig, reads: ImageBuilderReads): Desired | { problem: string } {
  let imageName = config.ImageName;
  let imageReason: string | undefined;
  if (config.LatestImage) {
    const resolved = resolveLatest(config.LatestImage.NamePrefix, reads.latest ?? []);
    if ('problem' in resolved) return resolved;
    imageName = resolved.name;
    imageReason = resolved.reason;
  }
  return { ...declaredBuilder(config, ctx.project, imageName ?? ''), ...(imageReason ? { imageReason } : {}) };
}

/** The declaration with `imageName` for its image (none: ''), in normal form, and the record and tags an apply of it writes. */
const declaredBuilder = perDeclaration((config: ImageBuilderConfig, project: string, imageName: string) => {
  const declared = declaredKeys(config);
  for (const key of ['Name', 'LatestImage']) declared.delete(key);
  if (config.LatestImage) declared.add('ImageName');
  const normal = normalizeBuilder({ ...(config as BuilderValues), ImageName: imageName || undefined });
  const software = UNREPORTED.filter((attribute) => declared.has(attribute) && normal.attributes[attribute] !== undefined);
  const record: AppliedRecord = {
    // The image chosen is part of what was applied: a newer pipeline image is a change from the config, not drift.
    d: declarationDigest(declared, { ...normal.attributes, State: config.State, Tags: normal.tags }),
    a: [
      ...managed(REPORTED, declared, normal.attributes),
      ...software.map((attribute) => softwareEntry(attribute, normal.attributes[attribute])),
      ...(declared.has('State') ? ['State'] : []),
    ],
    t: declared.has('Tags') ? Object.keys(normal.tags) : [],
  };
  return declaration(project, normal, declared, record);
});

/** Why a builder cannot be made from the image its ImageName names, when describe read that image. */
function imageProblem(name: string | undefined, reads: ImageBuilderReads): string | undefined {
  if (!name || !reads.looked?.includes(name)) return undefined;
  const image = reads.named?.[name];
  if (!image) return `ImageName ${name}: no image of that name exists (the account's own, or AWS's public ones)`;
  if (image.Visibility === 'SHARED') return `ImageName ${name}: ${sharedAdvice(image)}`;
  if (image.State !== 'AVAILABLE') return `ImageName ${name}: the image is ${image.State}; an image builder needs an AVAILABLE image`;
  return undefined;
}

export function planDeclaredBuilder(ctx: PlanContext, config: ImageBuilderConfig, live: LiveImageBuilder | undefined, subject: Subject, reads: ImageBuilderReads, liveNormal?: NormalBuilder): ResourcePlan {
  const desired = desiredBuilder(ctx, config, reads);
  if ('problem' in desired) return refused(subject, [desired.problem]);
  if (!live) {
    const problem = imageProblem(desired.normal.attributes.ImageName as string | undefined, reads);
    return problem ? refused(subject, [problem]) : planCreate(config, desired, subject);
  }

  const { builder } = live;
  const name = config.Name;
  const existing = found(ctx.project, live.tags, subject, builderHealth(live, subject));
  if ('refusal' in existing) return existing.refusal;
  const { tags, owned, previous, health } = existing;
  const table = builderTable(builder.State === 'RUNNING');
  const normal = liveNormal ?? liveBuilderNormal(live);
  const diffs = [...attributeDiffs(desired, normal, previous), ...softwareDiffs(desired, previous, owned)];

  if (replacing(table, diffs)) {
    if (!owned) return withDiagnostics(refused(subject, [`exists and is not owned by this project; it cannot change in place, and replacing it would delete it`]), health);
    if (BUSY.includes(builder.State ?? '')) return withDiagnostics(refused(subject, [`is ${builder.State}; it can be replaced once it is RUNNING or STOPPED: plan again then`]), health);
    const image = imageProblem(desired.normal.attributes.ImageName as string | undefined, reads);
    if (image) return withDiagnostics(refused(subject, [image]), health);
    return withDiagnostics(planReplace(config, desired, live, normal, subject, previous, diffs), health);
  }

  const tagDelta = diffTags(normal.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, previous?.t);
  const tagging = tagCalls('appstream', builder.Arn!, tags, tagDelta, desired.tool);
  if (tagging.problem) return withDiagnostics(refused(subject, [tagging.problem]), health);
  const state = stateCalls(name, builder.State, desired.declared.has('State') ? config.State : undefined);
  const stateDiff: DiffSpec[] = state.calls.length && config.State ? [{ path: 'State', before: builder.State, after: config.State }] : [];
  const notes = state.busy ? [diagnosticAt(subject, 'warning', `is ${builder.State}: State ${config.State} is applied once it is RUNNING or STOPPED`)] : [];
  const plan = inPlace(
    subject,
    { calls: [...state.calls, ...tagging.calls], diffs: [...stateDiff, ...(tagDelta.diff ? [tagDelta.diff] : [])], owned, previous, record: desired.record, diagnostics: [...health, ...notes] },
    state.stops ? { interruption: `stops image builder ${name}: whoever works in it is disconnected` } : {},
  );
  return { ...plan, attributes: table };
}

/** The CreateImageBuilder members' diffs: declared values, and the managed ones no longer declared. */
function attributeDiffs(desired: Desired, live: NormalBuilder, previous: AppliedRecord | undefined): DiffSpec[] {
  // A declared ImageArn is compared as the ARN, a declared ImageName (or LatestImage) as the name in the live ARN.
  return attributeDelta<BuilderAttribute>({
    names: REPORTED,
    table: builderTable(false),
    want: desired.normal.attributes,
    have: live.attributes,
    declared: desired.declared,
    recorded: previous?.a,
    absent: (attribute) => normalizeBuilderAttribute(attribute, undefined),
  }).diffs;
}

/**
 * The software lists are not reported back: a declared list is compared with the digest this
 * project's last apply recorded. Without a record (a builder adopted, or made elsewhere) nothing
 * tells what it has, so nothing is compared.
 */
function softwareDiffs(desired: Desired, previous: AppliedRecord | undefined, owned: boolean): DiffSpec[] {
  if (!owned || !previous) return [];
  return UNREPORTED.flatMap((attribute) => {
    if (!desired.declared.has(attribute)) return [];
    const wanted = desired.normal.attributes[attribute];
    const recorded = recordedSoftware(previous, attribute);
    if (wanted === undefined ? recorded === undefined : recorded === softwareDigest(wanted)) return [];
    return [{ path: attribute, after: wanted ?? null }];
  });
}

/**
 * The calls that bring a builder to the declared State (none when State is not declared): a
 * STOPPED one is started, a RUNNING one stopped, one on its way waited for first.
 */
function stateCalls(name: string, state: string | undefined, want: 'RUNNING' | 'STOPPED' | undefined): { calls: CallSpec[]; stops: boolean; busy: boolean } {
  const none = { calls: [], stops: false, busy: false };
  if (!want || state === 'FAILED') return none;
  if (want === 'RUNNING') {
    if (state === 'STOPPED') return { ...none, calls: [startBuilder(name)] };
    if (state === 'STOPPING') return { ...none, calls: [settle(name, 'ImageBuilderStopped'), startBuilder(name)] };
    return none;
  }
  if (state === 'RUNNING') return { ...none, calls: [stopBuilder(name)], stops: true };
  if (state === 'PENDING') return { ...none, calls: [settle(name, 'ImageBuilderRunning'), stopBuilder(name)] };
  return { ...none, busy: BUSY.includes(state ?? '') };
}

/** The calls that leave a builder STOPPED (or FAILED), ready to be deleted. */
function stopCalls(name: string, state: string | undefined): CallSpec[] {
  if (state === 'RUNNING') return [stopBuilder(name)];
  if (state === 'PENDING') return [settle(name, 'ImageBuilderRunning'), stopBuilder(name)];
  return state === 'STOPPING' ? [settle(name, 'ImageBuilderStopped')] : [];
}

const deleteBuilder = (name: string) => call('DeleteImageBuilder', { Name: name }, 'ImageBuilderDeleted');

/** CreateImageBuilder's input: every declared value and, on a replace, the values set elsewhere that the config leaves alone. */
const createBuilder = (subject: Subject, config: ImageBuilderConfig, desired: Desired, kept: Partial<Record<BuilderAttribute, unknown>> = {}) =>
  createInput(subject, { Name: config.Name }, BUILDER_ATTRIBUTES, { declared: desired.declared, values: desired.normal.attributes, tags: desired.normal.tags, tool: desired.tool }, kept);

/** Created (AWS starts it: PENDING → RUNNING), then stopped when declared STOPPED. */
function createCalls(config: ImageBuilderConfig, input: Record<string, unknown>): CallSpec[] {
  return [call('CreateImageBuilder', input, 'ImageBuilderRunning'), ...(config.State === 'STOPPED' ? [stopBuilder(config.Name)] : [])];
}

function planCreate(config: ImageBuilderConfig, desired: Desired, subject: Subject): ResourcePlan {
  const made = createBuilder(subject, config, desired);
  if ('refusal' in made) return made.refusal;
  const more = config.State ? [{ path: 'State', after: config.State }] : [];
  return creation(subject, made.input, { tags: desired.normal.tags, more, ...(desired.imageReason ? { reason: desired.imageReason } : {}) }, createCalls(config, made.input));
}

/**
 * Stopped (a running builder), deleted, and created anew from the declaration; what the config
 * does not manage is carried over from the old builder. The image is the old builder's ARN when
 * the name is unchanged, so a shared image keeps working.
 */
function planReplace(config: ImageBuilderConfig, desired: Desired, live: LiveImageBuilder, normal: NormalBuilder, subject: Subject, previous: AppliedRecord | undefined, diffs: DiffSpec[]): ResourcePlan {
  const name = config.Name;
  const made = createBuilder(subject, config, desired, unmanaged(BUILDER_ATTRIBUTES.filter((attribute) => !['ImageName', 'ImageArn'].includes(attribute)), previous, normal.attributes));
  if ('refusal' in made) return made.refusal;
  const { input } = made;
  if (input.ImageName !== undefined && input.ImageName === normal.attributes.ImageName) {
    delete input.ImageName;
    input.ImageArn = live.builder.ImageArn;
  }
  const tagDelta = diffTags(normal.tags, desired.declared.has('Tags') ? desired.normal.tags : undefined, previous?.t);
  const running = live.builder.State === 'RUNNING';
  const changed = immutable(builderTable(false), diffs);
  return {
    change: replacement(subject, {
      previous,
      record: desired.record,
      diffs: [...diffs, ...(tagDelta.diff ? [tagDelta.diff] : [])],
      reason: `${changed.join(', ')} cannot change on an image builder (there is no UpdateImageBuilder): it is deleted and created again${desired.imageReason && changed.includes('ImageName') ? `; ${desired.imageReason}` : ''}`,
      ...(running ? { interruption: `replaces image builder ${name} while it is RUNNING: whoever works in it is disconnected, and what is not saved in an image is lost` } : {}),
    }),
    calls: [...stopCalls(name, live.builder.State), deleteBuilder(name), ...createCalls(config, input)],
    diagnostics: [],
    attributes: builderTable(running),
  };
}

/** Prune: a running builder is stopped first (AWS deletes only a STOPPED or FAILED one), then deleted. */
export function planBuilderDeletion(live: LiveImageBuilder, subject: Subject): ResourcePlan {
  const name = live.builder.Name!;
  if (BUSY.includes(live.builder.State ?? '')) return refused(subject, [`is ${live.builder.State}; prune deletes it once it is RUNNING or STOPPED: plan again then`]);
  return {
    change: change(subject, {
      action: 'delete',
      ...(live.builder.State === 'RUNNING' ? { interruption: `stops and deletes image builder ${name}: whoever works in it is disconnected` } : {}),
    }),
    calls: [...stopCalls(name, live.builder.State), deleteBuilder(name)],
    diagnostics: [],
  };
}

/** ImageBuilderErrors and a FAILED state are reported whether or not anything changes. */
function builderHealth(live: LiveImageBuilder, subject: Subject): Diagnostic[] {
  const { builder } = live;
  const errors = resourceErrors(subject, 'image builder', builder.ImageBuilderErrors, { state: builder.State });
  if (builder.State === 'FAILED' && !errors.length) {
    const reason = builder.StateChangeReason;
    errors.push(diagnosticAt(subject, 'error', `image builder is FAILED${reason ? `: ${[reason.Code, reason.Message].filter(Boolean).join(': ')}` : ''}`));
  }
  return errors;
}

export { imageNameOf };
