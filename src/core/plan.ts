/**
 * The plan: plain, serializable data. `plan --format json` prints it, `plan --out` saves it,
 * renderers read it and the applier executes its `calls`. Nothing here calls AWS.
 * Any change that a consumer must adapt to bumps PLAN_FORMAT_VERSION.
 */
export const PLAN_FORMAT_VERSION = '2';

/** A kind's name, as the registry (src/kinds) defines it: "stack", "image", "streamingImage", … */
export type ResourceKind = string;
/** What an attribute's change does to its resource (the kind's attribute table says). */
export type Impact = 'update' | 'replace' | 'interrupt';

/** Why a change has its action, for machines (`reason` says it for people). */
export type ReasonCode =
  | 'create'
  | 'update'
  | 'drift'
  | 'adopt'
  | 'record_only'
  | 'replace_because_immutable'
  | 'cleanup_interrupted_replace'
  | 'prune'
  | 'no_change'
  | 'refused';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';
export type Service = 'appstream' | 'nimble';

/** Where a declared resource (or one of its values) stands in the user's YAML. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One attribute's change. `before`/`after` are normalized values; `null` after means "cleared";
 * a key left out means "absent". Set-like attributes also list their `added`/`removed` elements.
 */
export interface AttributeDiff {
  path: string;
  /** What changing it does: `update` in place, `replace` recreates the resource, `interrupt` interrupts users. */
  impact: Impact;
  before?: unknown;
  after?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

/** A diff before the planner looks its impact up in the kind's attribute table. */
export type DiffSpec = Omit<AttributeDiff, 'impact'> & Partial<Pick<AttributeDiff, 'impact'>>;

export interface ResourceChange {
  /** "stack/<Name>", "image/<Name>" or "streamingImage/<StudioId>/<Name>". */
  address: string;
  kind: ResourceKind;
  action: Action;
  /** The difference comes from a change made outside streamform, not from the config. */
  drift: boolean;
  /** A declared resource that exists without an owner tag: the plan takes ownership of it. */
  adopt: boolean;
  /** Human explanation of the action (e.g. why a replace), for display only; apply never reads it. */
  reason?: string;
  reasonCode: ReasonCode;
  /** Addresses of the plan's resources this one depends on: created before it, deleted after it. */
  dependsOn: string[];
  /**
   * What applying the change does to people using the resource ("stops fleet design: ends its 3
   * active sessions"). Apply does it only with --allow-interruption, or after interactive approval.
   */
  interruption?: string;
  diffs: AttributeDiff[];
  source?: SourceLocation;
  /**
   * Digest of the live state the change was computed from (null: the resource did not exist).
   * `apply PLANFILE` re-describes the resource and refuses when it no longer matches.
   */
  liveDigest: string | null;
}

/** One API call, exactly as apply will send it. */
export interface PlannedCall {
  /** 1-based position in execution order. */
  id: number;
  address: string;
  service: Service;
  operation: string;
  input: Record<string, unknown>;
  /**
   * Calls of one phase run concurrently across resources; a phase starts when the previous one ended.
   * Phases follow the dependencies: creates and updates after what they depend on, deletes after
   * everything else and before what they depend on.
   */
  phase: number;
  /** After the call succeeds, wait with this waiter of the resource's kind (e.g. StreamingImageReady). */
  wait?: string;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** The resource it concerns; absent for plan-wide problems. */
  address?: string;
  message: string;
  source?: SourceLocation;
  /** `unread`: the resource could not be read, so the plan does not know what it would change. */
  code?: 'unread';
}

/** An owned resource the config no longer declares: a plan without prune leaves it, `--prune` would delete it. */
export interface UndeclaredResource {
  address: string;
  kind: ResourceKind;
}

/** Tag keys on a resource whose Tags the config declares that streamform does not manage (set outside it): information, no call. */
export interface UnmanagedTags {
  address: string;
  keys: string[];
}

/**
 * What AWS changed since the last apply on a resource whose declaration this plan's config edits,
 * told by a base config (`plan --base`) whose declaration is the one last applied (its digest is the record's).
 */
export interface BaseDrift {
  address: string;
  /** As in a change: `before` is AWS, `after` what the base config declares. */
  diffs: AttributeDiff[];
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  project: string;
  /** Digest of the normalized desired state, so a saved plan is tied to the config it came from. */
  configDigest: string;
  /** The config files the plan was computed from, relative to the working directory. */
  configFiles: string[];
  /** Where the plan goes; `name` is the config's target, when it declares targets. */
  target: { name?: string; region: string; endpoint?: string; account?: string };
  createdAt: string;
  changes: ResourceChange[];
  calls: PlannedCall[];
  diagnostics: Diagnostic[];
  summary: PlanSummary;
  /** Without prune: the owned resources no longer declared whose owner tags the plan read (absent when none). */
  undeclared?: UndeclaredResource[];
  /** Declared resources carrying tag keys the config does not manage (absent when none). */
  unmanagedTags?: UnmanagedTags[];
  /** With a base config (`plan --base`): drift on the resources this config edits (absent when none). */
  baseDrift?: BaseDrift[];
}

export function hasChanges(plan: Plan): boolean {
  return plan.calls.length > 0;
}

/** The resources the plan could not read: what it says of them is not known. */
export function unreadAddresses(plan: Plan): string[] {
  return [...new Set(plan.diagnostics.filter((d) => d.code === 'unread').map((d) => d.address ?? ''))];
}

/**
 * The plan's one-line verdict. It never says "No changes." when it does not know: a resource that
 * could not be read makes it incomplete, and errors are counted.
 */
export function planVerdict(plan: Plan): string {
  const { create, update, replace, delete: remove } = plan.summary;
  const calls = `${create} to create, ${update} to update, ${replace} to replace, ${remove} to delete`;
  const unread = unreadAddresses(plan).length;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const errorCount = errors === 1 ? '1 error' : `${errors} errors`;
  if (unread) return `Plan incomplete: ${unread === 1 ? '1 resource' : `${unread} resources`} could not be read${hasChanges(plan) ? `; ${calls}` : ''}.`;
  if (!hasChanges(plan)) return errors ? `No changes planned; ${errorCount}.` : 'No changes.';
  return `Plan: ${calls}.`;
}

export function hasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.severity === 'error');
}

/**
 * A config with targets plans each of them: one plan per target, in the config's order. Its
 * file is `{formatVersion, project, targets: [plan, …]}`; a config without targets has one plan,
 * written as that plan alone.
 */
export interface TargetPlans {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  project: string;
  targets: Plan[];
}

/** The addresses a plan reports: changed, adopted, or in error. */
export function reportedIn(plan: Pick<Plan, 'changes' | 'diagnostics'>): Set<string> {
  return new Set([
    ...plan.changes.filter((change) => change.action !== 'no-op' || change.adopt).map((change) => change.address),
    ...plan.diagnostics.flatMap((d) => (d.severity === 'error' && d.address !== undefined ? [d.address] : [])),
  ]);
}

/** The plan with every address naming its target ("us-prod:stack/design"), for showing several side by side. */
export function withTargetAddresses(plan: Plan): Plan {
  const name = plan.target.name;
  if (name === undefined) return plan;
  const at = (address: string) => `${name}:${address}`;
  return {
    ...plan,
    changes: plan.changes.map((change) => ({ ...change, address: at(change.address), dependsOn: change.dependsOn.map(at) })),
    calls: plan.calls.map((call) => ({ ...call, address: at(call.address) })),
    diagnostics: plan.diagnostics.map((d) => (d.address === undefined ? d : { ...d, address: at(d.address) })),
    ...(plan.undeclared ? { undeclared: plan.undeclared.map((r) => ({ ...r, address: at(r.address) })) } : {}),
    ...(plan.unmanagedTags ? { unmanagedTags: plan.unmanagedTags.map((r) => ({ ...r, address: at(r.address) })) } : {}),
    ...(plan.baseDrift ? { baseDrift: plan.baseDrift.map((r) => ({ ...r, address: at(r.address) })) } : {}),
  };
}

/** The plans of several targets as one, for their common verdict, summary and exit code. */
export function combinedPlan(plans: readonly Plan[]): Plan {
  const [first] = plans;
  const labelled = plans.map(withTargetAddresses);
  // Call ids run on across targets, so that each names one call of the whole.
  let offset = 0;
  const calls = labelled.flatMap((plan) => {
    const numbered = plan.calls.map((call) => ({ ...call, id: call.id + offset }));
    offset += plan.calls.length;
    return numbered;
  });
  const summary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const plan of plans) for (const key of Object.keys(summary) as (keyof PlanSummary)[]) summary[key] += plan.summary[key];
  return {
    ...first,
    target: { region: [...new Set(plans.map((plan) => plan.target.region))].join(', ') },
    changes: labelled.flatMap((plan) => plan.changes),
    calls,
    diagnostics: labelled.flatMap((plan) => plan.diagnostics),
    summary,
    ...listed('undeclared', labelled.flatMap((plan) => plan.undeclared ?? [])),
    ...listed('unmanagedTags', labelled.flatMap((plan) => plan.unmanagedTags ?? [])),
    ...listed('baseDrift', labelled.flatMap((plan) => plan.baseDrift ?? [])),
  };
}

/** `{[key]: list}` when the list has anything, else nothing: a plan leaves its informational lists out when empty. */
export function listed<K extends 'undeclared' | 'unmanagedTags' | 'baseDrift'>(key: K, list: NonNullable<Plan[K]>): Pick<Plan, K> | Record<string, never> {
  return list.length ? ({ [key]: list } as Pick<Plan, K>) : {};
}

/** "Across 3 targets: Plan: …", or the plan's own verdict for a config without targets. */
export function targetsVerdict(plans: readonly Plan[]): string {
  if (plans.length === 1 && plans[0].target.name === undefined) return planVerdict(plans[0]);
  const all = combinedPlan(plans);
  const failing = plans.filter(hasErrors).map((plan) => plan.target.name);
  // The plan's own verdict counts errors only when nothing is planned; across targets, say which have them.
  const errors = failing.length && hasChanges(all) ? ` ${failing.length === 1 ? 'Target' : 'Targets'} ${failing.join(', ')} ${failing.length === 1 ? 'has' : 'have'} errors.` : '';
  return `Across ${plans.length === 1 ? '1 target' : `${plans.length} targets`}: ${planVerdict(all)}${errors}`;
}
