/**
 * The plan: plain, serializable data. `plan --format json` prints it, `plan --out` saves it,
 * renderers read it and the applier executes its `calls`. Nothing here calls AWS.
 * Any change that a consumer must adapt to bumps PLAN_FORMAT_VERSION.
 */
export const PLAN_FORMAT_VERSION = '1';

export type ResourceKind = 'stack' | 'image' | 'streamingImage';
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
  before?: unknown;
  after?: unknown;
  added?: unknown[];
  removed?: unknown[];
}

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
  diffs: AttributeDiff[];
  source?: SourceLocation;
  /**
   * Digest of the live state the change was computed from (null: the resource did not exist).
   * `apply PLANFILE` re-describes the resource and refuses when it no longer matches.
   */
  liveDigest: string | null;
}

export type WaitCondition = 'StreamingImageReady' | 'StreamingImageDeleted';

/** One API call, exactly as apply will send it. */
export interface PlannedCall {
  /** 1-based position in execution order. */
  id: number;
  address: string;
  service: Service;
  operation: string;
  input: Record<string, unknown>;
  /** Calls of one phase run concurrently across resources; a phase starts when the previous one ended. */
  phase: number;
  /** After the call succeeds, wait until the resource reaches this condition. */
  wait?: WaitCondition;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** The resource it concerns; absent for plan-wide problems. */
  address?: string;
  message: string;
  source?: SourceLocation;
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
  target: { region: string; endpoint?: string; account?: string };
  createdAt: string;
  changes: ResourceChange[];
  calls: PlannedCall[];
  diagnostics: Diagnostic[];
  summary: PlanSummary;
}

export function hasChanges(plan: Plan): boolean {
  return plan.calls.length > 0;
}

export function hasErrors(plan: Plan): boolean {
  return plan.diagnostics.some((d) => d.severity === 'error');
}
