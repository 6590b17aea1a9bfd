/**
 * The plan stage: from the loaded config and the live state to the ordered API calls. Pure: no
 * AWS, no I/O, no clock but the injected `now`. Linear in the number of resources. Every kind
 * plans its own resources; this stage orders them by their dependencies and numbers the calls.
 */
import type { Config, LoadedConfig } from '../config/types.js';
import { configDigest } from '../config/digest.js';
import { KINDS, kindNamed } from '../kinds/index.js';
import { refused, type PlanContext, type ResourcePlan, type Subject } from '../kinds/resource.js';
import type { KindPlanInput } from '../kinds/types.js';
import type { LiveState } from '../core/live.js';
import {
  listed,
  PLAN_FORMAT_VERSION,
  type BaseDrift,
  type Diagnostic,
  type Plan,
  type PlannedCall,
  type PlanSummary,
  type ResourceChange,
  type UndeclaredResource,
} from '../core/plan.js';
import { unmanagedTags } from './tags.js';

export interface BuildPlanInput {
  loaded: LoadedConfig;
  live: LiveState;
  /** The base config (e.g. the base branch's) and what describe read for it: tells drift under this config's edits. */
  base?: { config: Config; live: LiveState };
  prune: boolean;
  region: string;
  endpoint?: string;
  now?: Date;
}

export function buildPlan({ loaded, live, base, prune, region, endpoint, now = new Date() }: BuildPlanInput): Plan {
  const ctx = planContext(loaded.config, live, prune, now);
  const { resources, unplaced } = planResources(loaded.config, live, ctx, { locate: loaded.locate });
  const plan = assemble(resources, unplaced, { ctx, loaded, live, region, endpoint });
  const planned = new Set(resources.map((r) => r.change.address));
  return {
    ...plan,
    ...listed('undeclared', prune ? [] : undeclared(loaded.config, live, ctx, planned)),
    ...listed(
      'unmanagedTags',
      unmanagedTags(loaded.config, live).filter(({ address }) => planned.has(address)),
    ),
    ...listed('baseDrift', base ? baseDrift(base, resources, now) : []),
  };
}

/**
 * Drift this plan cannot tell by itself: where the config edits a resource, its record matches the
 * base config's declaration instead, so the base config's plan of the resource marks what AWS
 * changed since. Only resources this plan plans, and whose change here is not marked drift already.
 */
function baseDrift({ config, live }: NonNullable<BuildPlanInput['base']>, resources: readonly ResourcePlan[], now: Date): BaseDrift[] {
  const undrifted = new Set(resources.filter(({ change }) => !change.drift).map(({ change }) => change.address));
  const { resources: based } = planResources(config, live, planContext(config, live, false, now), { only: (address) => undrifted.has(address) });
  return based
    .filter(({ change }) => change.drift && change.diffs.length > 0)
    .map(({ change, attributes }) => (withImpacts(change, attributes), { address: change.address, diffs: change.diffs }))
    .sort((a, b) => compare(a.address, b.address));
}

/** Each diff's impact, from the resource's attribute table (or its kind's). */
function withImpacts(change: ResourceChange, attributes: ResourcePlan['attributes']): void {
  const table = attributes ?? kindNamed(change.kind)?.attributes ?? {};
  for (const diff of change.diffs) diff.impact = table[diff.path.split('.')[0]]?.impact ?? 'update';
}

/**
 * What prune would delete, found by planning with prune the resources this plan does not plan, from
 * what describe read without prune (the owner tags of listed resources included), and the owned
 * resources of kinds it did not read.
 */
function undeclared(config: Config, live: LiveState, ctx: PlanContext, planned: ReadonlySet<string>): UndeclaredResource[] {
  const { resources } = planResources(config, live, { ...ctx, prune: true }, { only: (address) => !planned.has(address) });
  return [
    ...resources.filter(({ change }) => change.action === 'delete').map(({ change }) => ({ address: change.address, kind: change.kind })),
    ...[...(live.ownedUnread ?? [])].sort((a, b) => compare(a.address, b.address)),
  ];
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
  only?: (address: string) => boolean;
}

function planResources(config: Config, live: LiveState, ctx: PlanContext, { locate, only }: Planning): { resources: ResourcePlan[]; unplaced: Diagnostic[] } {
  const { describeErrors } = ctx;
  const resources: ResourcePlan[] = [];
  for (const kind of KINDS) {
    const input: KindPlanInput = {
      ctx,
      config,
      live,
      wanted: (address) => !only || only(address),
      subject: (address, pointer, liveDigest): Subject => {
        const source = pointer === undefined ? undefined : locate?.(pointer);
        return { address, kind: kind.name, liveDigest: only ? null : liveDigest(), ...(source ? { source } : {}) };
      },
      plan: (subject, make) => {
        const errors = describeErrors.get(subject.address);
        resources.push(errors ? refused(subject, errors, 'unread') : make());
      },
    };
    kind.plan(input);
  }
  const planned = new Set(resources.map((r) => r.change.address));
  // Problems reading resources the plan does not otherwise mention (e.g. a prune candidate's tags).
  const unplaced: Diagnostic[] = [...describeErrors]
    .filter(([address]) => !planned.has(address) && (!only || only(address)))
    .flatMap(([address, messages]) => messages.map((message): Diagnostic => ({ severity: 'error', address, message, code: 'unread' })));
  return { resources, unplaced };
}

/** Orders resources by their dependencies, numbers their calls, and looks each diff's impact up. */
function assemble(
  resources: ResourcePlan[],
  extraDiagnostics: Diagnostic[],
  { ctx, loaded, live, region, endpoint }: { ctx: PlanContext; loaded: LoadedConfig; live: LiveState; region: string; endpoint?: string },
): Plan {
  const byAddress = [...resources].sort((a, b) => compare(a.change.address, b.change.address));
  const present = new Set(byAddress.map((r) => r.change.address));
  for (const { change, attributes } of byAddress) {
    // Only dependencies on resources of this plan order anything.
    change.dependsOn = change.dependsOn.filter((address) => present.has(address) && address !== change.address).sort(compare);
    withImpacts(change, attributes);
  }
  const { calls, diagnostics } = sequence(byAddress);
  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const { change } of resources) if (change.action !== 'no-op') summary[change.action]++;
  const { account } = live;
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: ctx.project,
    configDigest: ctx.configDigest(),
    configFiles: loaded.files,
    target: { region, ...(endpoint ? { endpoint } : {}), ...(account ? { account } : {}) },
    createdAt: ctx.now.toISOString(),
    changes: byAddress.map((r) => r.change),
    calls,
    diagnostics: [...diagnostics, ...byAddress.flatMap((r) => r.diagnostics), ...extraDiagnostics],
    summary,
  };
}

/**
 * The calls of these resources (by address), numbered in execution order with their phases. A
 * dependency cycle is an error naming its addresses, and its resources get no calls.
 */
export function sequence(resources: readonly ResourcePlan[]): { calls: PlannedCall[]; diagnostics: Diagnostic[] } {
  const { phases, cycle } = phasesOf(resources);
  const blocked = new Set(cycle);
  const diagnostics: Diagnostic[] = cycle.length
    ? [{ severity: 'error', message: `dependency cycle: ${cycle.join(' → ')}; nothing is planned for these resources` }]
    : [];
  const order = [...resources].sort((a, b) => phases.get(a.change.address)! - phases.get(b.change.address)! || orderWithin(a, b));
  const calls: PlannedCall[] = [];
  for (const resource of order) {
    if (blocked.has(resource.change.address)) continue;
    const phase = phases.get(resource.change.address)!;
    for (const call of resource.calls) calls.push({ id: calls.length + 1, address: resource.change.address, ...call, phase });
  }
  return { calls, diagnostics };
}

/** Within a phase: creates and updates by address, then deletes in reverse (as the plan always read). */
function orderWithin(a: ResourcePlan, b: ResourcePlan): number {
  const deleting = (r: ResourcePlan) => r.change.action === 'delete';
  if (deleting(a) !== deleting(b)) return deleting(a) ? 1 : -1;
  return deleting(a) ? compare(b.change.address, a.change.address) : compare(a.change.address, b.change.address);
}

/**
 * The phase of each resource: creates and updates one phase after the latest of what they depend
 * on (0 without dependencies); deletes after all of them, and one phase before what they depend on
 * when that is deleted too, so a dependent goes first. A cycle is returned, its members at phase 0.
 */
export function phasesOf(resources: readonly Pick<ResourcePlan, 'change'>[]): { phases: Map<string, number>; cycle: string[] } {
  const byAddress = new Map(resources.map((r) => [r.change.address, r.change]));
  const deleting = (address: string) => byAddress.get(address)?.action === 'delete';
  const dependents = new Map<string, string[]>();
  for (const [address, change] of byAddress) for (const dep of change.dependsOn) dependents.set(dep, [...(dependents.get(dep) ?? []), address]);
  const cycle: string[] = [];
  const creating = [...byAddress.keys()].filter((address) => !deleting(address));
  // Creates and updates come after what they depend on; deletes wait for the deletes that depend on them.
  const phases = levels(creating, (address) => byAddress.get(address)!.dependsOn.filter((dep) => byAddress.has(dep) && !deleting(dep)), cycle);
  const base = 1 + Math.max(0, ...phases.values());
  const deletes = levels([...byAddress.keys()].filter(deleting), (address) => (dependents.get(address) ?? []).filter(deleting), cycle);
  for (const [address, level] of deletes) phases.set(address, base + level);
  return { phases, cycle };
}

/** The length of the longest path from each node along `next` (0 for a node with none); the first cycle met is put in `cycle`. */
function levels(nodes: string[], next: (node: string) => string[], cycle: string[]): Map<string, number> {
  const level = new Map<string, number>();
  const path: string[] = [];
  const visit = (node: string): number => {
    const known = level.get(node);
    if (known !== undefined) return known;
    if (path.includes(node)) {
      if (!cycle.length) cycle.push(...path.slice(path.indexOf(node)), node);
      return 0;
    }
    path.push(node);
    const after = next(node);
    const value = after.length ? 1 + Math.max(...after.map(visit)) : 0;
    path.pop();
    level.set(node, value);
    return value;
  };
  for (const node of nodes) visit(node);
  return level;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
