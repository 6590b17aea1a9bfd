/**
 * The plan stage: from the loaded config and the live state to the ordered API calls. Pure: no
 * AWS, no I/O, no clock but the injected `now`. Linear in the number of resources.
 */
import type { Config, LoadedConfig } from '../config/types.js';
import { imageAddress, stackAddress, streamingImageAddress, type LiveState } from '../describe/types.js';
import { configDigest } from '../config/digest.js';
import { planDeclaredImage, liveImageDigest } from './image.js';
import { ownerOf } from './ownership.js';
import { refused, type PlanContext, type ResourcePlan, type Subject } from './resource.js';
import { liveStackDigest, liveStackNormal, planDeclaredStack, planStackDeletion } from './stack.js';
import { liveStreamingImageDigest, planDeclaredStreamingImage, planStreamingImageDeletion, streamingImagesByAddress } from './streaming-image.js';
import { PLAN_FORMAT_VERSION, type Diagnostic, type Plan, type PlannedCall, type PlanSummary, type ResourceKind } from './types.js';

export interface BuildPlanInput {
  loaded: LoadedConfig;
  live: LiveState;
  prune: boolean;
  region: string;
  endpoint?: string;
  now?: Date;
}

export function buildPlan({ loaded, live, prune, region, endpoint, now = new Date() }: BuildPlanInput): Plan {
  const ctx = planContext(loaded.config, live, prune, now);
  const { resources, unplaced } = planResources(loaded.config, live, ctx, { locate: loaded.locate });
  return assemble(resources, unplaced, { ctx, loaded, live, region, endpoint });
}

/**
 * Which of `addresses` (declared or prunable stacks and images) the plan would report: changed,
 * adopted, or in error. Plans only those resources, without what only the plan's output needs.
 */
export function reportedAmong(config: Config, live: LiveState, prune: boolean, addresses: ReadonlySet<string>): Set<string> {
  const { resources } = planResources(config, live, planContext(config, live, prune, new Date()), { only: addresses });
  return new Set(
    resources
      .filter(({ change, diagnostics }) => change.action !== 'no-op' || change.adopt || diagnostics.some((d) => d.severity === 'error'))
      .map(({ change }) => change.address),
  );
}

function planContext(config: Config, live: LiveState, prune: boolean, now: Date): PlanContext {
  const describeErrors = new Map<string, string[]>();
  for (const { address, message } of live.errors) describeErrors.set(address, [...(describeErrors.get(address) ?? []), message]);
  let digest: string | undefined;
  return { project: config.project, prune, now, configDigest: () => (digest ??= configDigest(config)), describeErrors };
}

interface Planning {
  /** Where each declared resource is written, for the plan's output. */
  locate?: LoadedConfig['locate'];
  /** Plan only these addresses, and leave out their live digests (only a saved plan needs them). */
  only?: ReadonlySet<string>;
}

function planResources(config: Config, live: LiveState, ctx: PlanContext, { locate, only }: Planning): { resources: ResourcePlan[]; unplaced: Diagnostic[] } {
  const { describeErrors, prune } = ctx;
  const resources: ResourcePlan[] = [];
  const wanted = (address: string) => !only || only.has(address);
  const plan = (subject: Subject, make: () => ResourcePlan) => {
    const errors = describeErrors.get(subject.address);
    resources.push(errors ? refused(subject, errors) : make());
  };
  const subject = (address: string, kind: ResourceKind, pointer: string | undefined, liveDigest: () => string | null): Subject => {
    const source = pointer === undefined ? undefined : locate?.(pointer);
    return { address, kind, liveDigest: only ? null : liveDigest(), ...(source ? { source } : {}) };
  };

  const declaredStacks = new Set<string>();
  (config.stacks ?? []).forEach((stack, i) => {
    const address = stackAddress(stack.Name);
    declaredStacks.add(stack.Name);
    if (!wanted(address)) return;
    const found = live.stacks[stack.Name];
    const normal = found && liveStackNormal(found);
    const at = subject(address, 'stack', `/stacks/${i}`, () => (found ? liveStackDigest(found, normal) : null));
    plan(at, () => planDeclaredStack(ctx, stack, found, at, normal));
  });
  (config.images ?? []).forEach((image, i) => {
    const address = imageAddress(image.Name);
    if (!wanted(address)) return;
    const found = live.images[image.Name];
    const at = subject(address, 'image', `/images/${i}`, () => (found ? liveImageDigest(found) : null));
    plan(at, () => planDeclaredImage(ctx, image, found, at));
  });
  const declaredStreamingImages = new Set<string>();
  const liveStreamingImages = streamingImagesByAddress(live);
  (config.streamingImages ?? []).forEach((image, i) => {
    const address = streamingImageAddress(image.StudioId, image.Name);
    declaredStreamingImages.add(address);
    if (!wanted(address)) return;
    const candidates = liveStreamingImages.get(address)?.images ?? [];
    const at = subject(address, 'streamingImage', `/streamingImages/${i}`, () => (candidates.length ? liveStreamingImageDigest(candidates) : null));
    plan(at, () => planDeclaredStreamingImage(ctx, image, candidates, at));
  });

  // Prune deletes only what carries this project's owner tag; nothing unowned is ever touched.
  if (prune) {
    for (const [name, stack] of Object.entries(live.stacks)) {
      const address = stackAddress(name);
      if (declaredStacks.has(name) || ownerOf(stack.tags) !== config.project || !wanted(address)) continue;
      const at = subject(address, 'stack', undefined, () => liveStackDigest(stack));
      plan(at, () => planStackDeletion(stack, at));
    }
    for (const [address, { studioId, images }] of liveStreamingImages) {
      const owned = images.filter((image) => ownerOf(image.tags) === config.project);
      if (declaredStreamingImages.has(address) || !owned.length || !wanted(address)) continue;
      const at = subject(address, 'streamingImage', undefined, () => liveStreamingImageDigest(images));
      plan(at, () => planStreamingImageDeletion(studioId, owned, at));
    }
  }

  const planned = new Set(resources.map((r) => r.change.address));
  // Problems reading resources the plan does not otherwise mention (e.g. a prune candidate's tags).
  const unplaced: Diagnostic[] = [...describeErrors]
    .filter(([address]) => !planned.has(address) && wanted(address))
    .flatMap(([address, messages]) => messages.map((message): Diagnostic => ({ severity: 'error', address, message })));
  return { resources, unplaced };
}

/** Orders resources and numbers their calls: creates and updates (phase 0), then deletes in reverse order. */
function assemble(
  resources: ResourcePlan[],
  extraDiagnostics: Diagnostic[],
  { ctx, loaded, live, region, endpoint }: { ctx: PlanContext; loaded: LoadedConfig; live: LiveState; region: string; endpoint?: string },
): Plan {
  const byAddress = [...resources].sort((a, b) => compare(a.change.address, b.change.address));
  const isDelete = (r: ResourcePlan) => r.change.action === 'delete';
  const order = [...byAddress.filter((r) => !isDelete(r)), ...byAddress.filter(isDelete).reverse()];
  const calls: PlannedCall[] = [];
  for (const resource of order) {
    for (const call of resource.calls) calls.push({ id: calls.length + 1, address: resource.change.address, ...call });
  }
  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const { change } of resources) if (change.action !== 'no-op') summary[change.action]++;
  const account = accountOf(live);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: ctx.project,
    configDigest: ctx.configDigest(),
    configFiles: loaded.files,
    target: { region, ...(endpoint ? { endpoint } : {}), ...(account ? { account } : {}) },
    createdAt: ctx.now.toISOString(),
    changes: byAddress.map((r) => r.change),
    calls,
    diagnostics: [...byAddress.flatMap((r) => r.diagnostics), ...extraDiagnostics],
    summary,
  };
}

/**
 * The digest of each live resource, keyed by address (all of them, or those asked for: null when
 * absent). `apply PLANFILE` compares them with each change's liveDigest to refuse a stale plan.
 */
export function liveDigests(live: LiveState, addresses?: string[]): Map<string, string | null> {
  const digests = new Map<string, string | null>();
  for (const [name, stack] of Object.entries(live.stacks)) digests.set(stackAddress(name), liveStackDigest(stack));
  for (const [name, image] of Object.entries(live.images)) digests.set(imageAddress(name), liveImageDigest(image));
  for (const [address, { images }] of streamingImagesByAddress(live)) digests.set(address, liveStreamingImageDigest(images));
  if (!addresses) return digests;
  return new Map(addresses.map((address) => [address, digests.get(address) ?? null]));
}

/** The account, read from a stack's ARN (image ARNs of public images carry none). */
function accountOf(live: LiveState): string | undefined {
  for (const { stack } of Object.values(live.stacks)) if (stack.Arn) return stack.Arn.split(':')[4] || undefined;
  return undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
