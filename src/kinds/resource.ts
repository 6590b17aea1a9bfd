/** What the per-kind planners share: the shape of one resource's plan, ownership, tag calls. */
import { mapPool } from '../aws/paging.js';
import { setDiff, type TagDelta } from '../diff/collections.js';
export type { DiffSpec } from '../core/plan.js';
import { clean, sameValue, userTags } from '../normalize/values.js';
import type { Config } from '../config/types.js';
import type { LiveState } from '../core/live.js';
import { itself } from '../core/sets.js';
import type { AttributeTable, KindDefinition, KindPlanInput, KindTags, Selection, Tagged } from './types.js';
import { digest } from '../core/digest.js';
import { isToolTag, keptToolTags, MAX_TAG_VALUE, MAX_TAGS, ownerOf, ownRecord, toolTags, type AppliedRecord } from '../core/ownership.js';
import type { Action, Diagnostic, DiffSpec, PlannedCall, ReasonCode, ResourceChange, ResourceKind, Service, SourceLocation } from '../core/plan.js';

/** A call before it gets its place (id and phase) in the plan. */
export type CallSpec = Omit<PlannedCall, 'id' | 'address' | 'phase'>;

export interface ResourcePlan {
  change: ResourceChange;
  calls: CallSpec[];
  diagnostics: Diagnostic[];
  /**
   * The attribute table the planner looks this resource's impacts up in, where it is not the
   * kind's own: a kind whose rules depend on the resource (a fleet's type and state) chooses it.
   */
  attributes?: AttributeTable;
}

export interface PlanContext {
  project: string;
  prune: boolean;
  now: Date;
  /** The config's digest, computed on first use (only a plan's output and streaming image creation need it). */
  configDigest(): string;
  /** What describe could not read, by address. */
  describeErrors: ReadonlyMap<string, string[]>;
}

/** One resource as the planner sees it: where it is declared and what is known of it. */
export interface Subject {
  address: string;
  kind: ResourceKind;
  source?: SourceLocation;
  liveDigest: string | null;
}

/** The keys a config object declares; null counts (it means "clear"), a missing key does not. */
export function declaredKeys(values: object): Set<string> {
  return new Set(Object.entries(values).filter(([, value]) => value !== undefined).map(([key]) => key));
}

/** Digest of what the config declares for one resource (normalized), as kept in its record. */
export function declarationDigest(declared: ReadonlySet<string>, values: Record<string, unknown>): string {
  return digest(Object.fromEntries([...declared].sort().map((key) => [key, values[key] ?? null])), 16);
}

type ChangeFields = Pick<ResourceChange, 'action'> &
  Partial<Pick<ResourceChange, 'drift' | 'adopt' | 'reason' | 'reasonCode' | 'dependsOn' | 'interruption'>> & { diffs?: DiffSpec[] };

/** The reason code an action has when nothing more specific is said. */
const DEFAULT_REASON: Record<Action, ReasonCode> = { create: 'create', update: 'update', replace: 'replace_because_immutable', delete: 'prune', 'no-op': 'no_change' };

export function change(subject: Subject, fields: ChangeFields): ResourceChange {
  return {
    address: subject.address,
    kind: subject.kind,
    action: fields.action,
    drift: fields.drift ?? false,
    adopt: fields.adopt ?? false,
    ...(fields.reason ? { reason: fields.reason } : {}),
    reasonCode: fields.reasonCode ?? (fields.drift ? 'drift' : DEFAULT_REASON[fields.action]),
    dependsOn: fields.dependsOn ?? [],
    ...(fields.interruption ? { interruption: fields.interruption } : {}),
    // The planner sets each impact from the kind's attribute table.
    diffs: (fields.diffs ?? []).map((diff) => ({ impact: 'update', ...diff })),
    ...(subject.source ? { source: subject.source } : {}),
    liveDigest: subject.liveDigest,
  };
}

/** A resource about which nothing is done, with the reason as an error. */
export function refused(subject: Subject, messages: string[], code?: Diagnostic['code']): ResourcePlan {
  return {
    change: change(subject, { action: 'no-op', reasonCode: 'refused' }),
    calls: [],
    diagnostics: messages.map((message) => ({ ...diagnosticAt(subject, 'error', message), ...(code ? { code } : {}) })),
  };
}

/** A plan with more diagnostics: the resource's health, reported whatever is planned. */
export function withDiagnostics(plan: ResourcePlan, diagnostics: Diagnostic[]): ResourcePlan {
  return { ...plan, diagnostics: [...plan.diagnostics, ...diagnostics] };
}

/** A diagnostic about one resource, at its declaration when it has one. */
export function diagnosticAt(subject: Subject, severity: Diagnostic['severity'], message: string): Diagnostic {
  return { severity, address: subject.address, message, ...(subject.source ? { source: subject.source } : {}) };
}

/** A resource's own error list (FleetErrors, StackErrors, …) as errors, with the state it is in where it has one. */
export function resourceErrors(subject: Subject, noun: string, errors: readonly { ErrorCode?: string; ErrorMessage?: string }[] | undefined, state?: { state: string | undefined }): Diagnostic[] {
  const where = state ? ` (state ${state.state ?? 'unknown'})` : '';
  return (errors ?? []).map((error) => diagnosticAt(subject, 'error', `${noun} error ${error.ErrorCode ?? 'UNKNOWN'}: ${error.ErrorMessage ?? 'no message'}${where}`));
}

/** Import's notes of a resource's error list, one per error: "FleetErrors: CODE: message". */
export function errorNotes(member: string, errors: readonly { ErrorCode?: string; ErrorMessage?: string }[] | undefined): string[] {
  return (errors ?? []).map((error) => `${member}: ${[error.ErrorCode, error.ErrorMessage].filter(Boolean).join(': ')}`);
}

/** An existing resource as its plan starts from it: its tags, whether this project owns it, the record of its last apply, and its health. */
export interface Found {
  tags: Record<string, string>;
  owned: boolean;
  previous: AppliedRecord | undefined;
  health: Diagnostic[];
}

/** The existing resource with these tags as this project may act on it, or the refusal (with its health) when another project owns it. */
export function found(project: string, tags: Record<string, string> | undefined, subject: Subject, health: Diagnostic[]): Found | { refusal: ResourcePlan } {
  const all = tags ?? {};
  const problem = ownershipProblem(project, all);
  if (problem) return { refusal: withDiagnostics(refused(subject, [problem]), health) };
  return { tags: all, owned: ownerOf(all) === project, previous: ownRecord(project, all), health };
}

/** A declaration in normal form, the keys it declares, the record an apply of it writes, and streamform's tags that carry it. */
export interface Declaration<N> {
  normal: N;
  declared: Set<string>;
  record: AppliedRecord;
  tool: Record<string, string>;
}

export function declaration<N>(project: string, normal: N, declared: Set<string>, record: AppliedRecord): Declaration<N> {
  return { normal, declared, record, tool: toolTags(project, record) };
}

/** The attributes a declaration manages (the record's `a`): those it declares with a value. */
export function managed<A extends string>(names: readonly A[], declared: ReadonlySet<string>, values: Partial<Record<A, unknown>>): A[] {
  return names.filter((name) => declared.has(name) && values[name] !== undefined);
}

/** The live values of the attributes the last apply did not manage: a replace creates the resource again with them. */
export function unmanaged<A extends string>(names: readonly A[], previous: AppliedRecord | undefined, live: Partial<Record<A, unknown>>): Partial<Record<A, unknown>> {
  const recorded = new Set(previous?.a ?? []);
  return Object.fromEntries(names.filter((name) => !recorded.has(name)).map((name) => [name, live[name]])) as Partial<Record<A, unknown>>;
}

/**
 * A create call's input: `head` (Name, and what must come first), each of `names` that has a value,
 * declared or else `kept` (a replaced resource's values the config leaves alone), then `tags` with
 * streamform's own; or the refusal when that is more tags than AWS allows.
 */
export function createInput<A extends string>(
  subject: Subject,
  head: Record<string, unknown>,
  names: readonly A[],
  desired: { declared: ReadonlySet<string>; values: Partial<Record<A, unknown>>; tags: Record<string, string>; tool: Record<string, string> },
  kept: Partial<Record<A, unknown>> = {},
): { input: Record<string, unknown> } | { refusal: ResourcePlan } {
  const input: Record<string, unknown> = { ...head };
  for (const name of names) {
    const value = desired.declared.has(name) ? desired.values[name] : kept[name];
    if (value !== undefined) input[name] = value;
  }
  input.Tags = { ...desired.tags, ...desired.tool };
  const problem = tagLimitProblem(Object.keys(input.Tags as object), desired.tool);
  return problem ? { refusal: refused(subject, [problem]) } : { input };
}

/**
 * The plan of a resource to create: each member of its input as a diff (but Name, Tags and `omit`),
 * then `more` (State, associations, …), then the user's tags.
 */
export function creation(
  subject: Subject,
  input: Record<string, unknown>,
  facts: { tags: Record<string, string>; more?: DiffSpec[]; omit?: readonly string[]; reason?: string; dependsOn?: string[] },
  calls: CallSpec[],
): ResourcePlan {
  const omitted = new Set(['Name', 'Tags', ...(facts.omit ?? [])]);
  const diffs: DiffSpec[] = [
    ...Object.entries(input).filter(([path]) => !omitted.has(path)).map(([path, after]) => ({ path, after })),
    ...(facts.more ?? []),
    ...(Object.keys(facts.tags).length ? [{ path: 'Tags', after: facts.tags }] : []),
  ];
  return {
    change: change(subject, { action: 'create', diffs, ...(facts.reason ? { reason: facts.reason } : {}), ...(facts.dependsOn ? { dependsOn: facts.dependsOn } : {}) }),
    calls,
    diagnostics: [],
    // A new resource: nothing it is created with replaces or interrupts anything.
    attributes: {},
  };
}

/** The attributes among these diffs that cannot change in place, by the kind's table. */
export function immutable(table: AttributeTable, diffs: readonly { path: string }[]): string[] {
  return diffs.filter((diff) => table[diff.path]?.impact === 'replace').map((diff) => diff.path);
}

/** A replace: marked as drift when the config is the one last applied (so AWS was changed outside). */
export function replacement(subject: Subject, facts: { previous: AppliedRecord | undefined; record: AppliedRecord } & Omit<ChangeFields, 'action' | 'drift' | 'reasonCode'>): ResourceChange {
  const { previous, record, ...fields } = facts;
  return change(subject, { action: 'replace', drift: previous?.d === record.d, reasonCode: 'replace_because_immutable', ...fields });
}

/** A declared resource that names another in one of its members: `user` "stack design", `member` "Fleets". */
export interface NamedBy {
  user: string;
  member: string;
}

/** How declared resources name one: "stack design still names it in Fleets; application a, application b still name it in Fleets". */
function namedBy(users: readonly NamedBy[]): string {
  return [...new Set(users.map((named) => named.member))]
    .map((member) => {
      const who = users.filter((named) => named.member === member).map((named) => named.user);
      return `${who.join(', ')} still ${who.length === 1 ? 'names' : 'name'} it in ${member}`;
    })
    .join('; ');
}

/** The declarations among `declared` whose list `member` names `name`, as its users ("stack design"). */
export function namingIn<D extends object>(declared: readonly D[] | undefined, member: string, name: string, label: (resource: D) => string): NamedBy[] {
  return (declared ?? [])
    .filter((resource) => ((resource as Record<string, unknown>)[member] as unknown[] | null | undefined)?.includes(name))
    .map((resource) => ({ user: label(resource), member }));
}

/**
 * Prune's refusal of a resource that declared ones still name: AWS would refuse to delete it, or they
 * would be left naming what is gone. Undefined when nothing declared names it.
 */
function stillNamed(subject: Subject, noun: string, users: readonly NamedBy[]): ResourcePlan | undefined {
  if (!users.length) return undefined;
  return refused(subject, [`no longer declared, but ${namedBy(users)}; declare the ${noun}, or remove it from ${users.length === 1 ? 'there' : 'them'}, before prune deletes it`]);
}

/** Why streamform must not touch an existing resource, if it must not. */
export function ownershipProblem(project: string, tags: Record<string, string> | undefined): string | undefined {
  const owner = ownerOf(tags);
  return owner !== undefined && owner !== project
    ? `owned by project "${owner}" (tag streamform:project); streamform leaves it alone`
    : undefined;
}

const TAG_MEMBERS: Record<Service, { arn: string; tags: string; keys: string }> = {
  appstream: { arn: 'ResourceArn', tags: 'Tags', keys: 'TagKeys' },
  nimble: { arn: 'resourceArn', tags: 'tags', keys: 'tagKeys' },
};

/**
 * UntagResource then TagResource for the user's tag changes plus streamform's own tags (`tool`:
 * owner and record). The record rides on the last call, so a resource whose earlier call failed
 * keeps its old record. Returns a problem instead when the result would exceed the tag limit.
 */
export function tagCalls(service: Service, arn: string, live: Record<string, string>, user: TagDelta, written: Record<string, string>): { calls: CallSpec[]; problem?: string } {
  const tool = keptToolTags(live, written);
  const remove = [...user.remove, ...Object.keys(live).filter((key) => isToolTag(key) && !Object.hasOwn(tool, key))];
  const set = { ...user.set, ...Object.fromEntries(Object.entries(tool).filter(([key, value]) => live[key] !== value)) };
  const problem = tagLimitProblem([...Object.keys(live).filter((key) => !remove.includes(key)), ...Object.keys(set)], tool);
  if (problem) return { calls: [], problem };
  const members = TAG_MEMBERS[service];
  const calls: CallSpec[] = [];
  if (remove.length) calls.push({ service, operation: 'UntagResource', input: { [members.arn]: arn, [members.keys]: remove } });
  if (Object.keys(set).length) calls.push({ service, operation: 'TagResource', input: { [members.arn]: arn, [members.tags]: set } });
  return { calls };
}

/** AWS counts every tag but its own (aws:) against the limit of 50, and a tag value holds 256 characters. */
export function tagLimitProblem(keys: string[], tool: Record<string, string>): string | undefined {
  const count = new Set(keys.filter((key) => !key.startsWith('aws:'))).size;
  if (count > MAX_TAGS) return `would carry ${count} tags, more than the ${MAX_TAGS} AWS allows (${Object.keys(tool).length} of them are streamform's own); remove some tags`;
  const [key, value] = Object.entries(tool).find(([, v]) => v.length > MAX_TAG_VALUE) ?? [];
  return key
    ? `streamform's record of what it manages here would be ${value!.length} characters, more than the ${MAX_TAG_VALUE} a tag value may hold (tag ${key}); declare fewer fleets or shares`
    : undefined;
}

/**
 * An existing resource brought in line with its declaration: an update when there is anything to
 * call, marked as drift when the config is the one last applied (so AWS was changed outside).
 */
export function inPlace(
  subject: Subject,
  facts: { calls: CallSpec[]; diffs: DiffSpec[]; owned: boolean; previous?: AppliedRecord; record: AppliedRecord; diagnostics: Diagnostic[]; dependsOn?: string[] },
  override: Partial<Pick<ResourceChange, 'action' | 'reason' | 'reasonCode' | 'interruption'>> = {},
): ResourcePlan {
  const { calls, diffs, owned, previous, record, diagnostics, dependsOn } = facts;
  const drift = previous?.d === record.d && diffs.length > 0;
  // Only streamform's own tags to write: say so, or the reviewer sees an update with nothing in it.
  const recordOnly = calls.length && !diffs.length ? (owned ? 'record the applied configuration (AWS already matches it)' : 'adopt: tag it as owned by this project') : undefined;
  const reasonCode: ReasonCode | undefined = override.reasonCode ?? (recordOnly ? (owned ? 'record_only' : 'adopt') : !owned && !diffs.length ? 'adopt' : undefined);
  return {
    change: change(subject, {
      action: override.action ?? (calls.length ? 'update' : 'no-op'),
      drift,
      adopt: !owned,
      diffs,
      reason: override.reason ?? recordOnly,
      ...(reasonCode ? { reasonCode } : {}),
      ...(dependsOn ? { dependsOn } : {}),
      ...(override.interruption ? { interruption: override.interruption } : {}),
    }),
    calls,
    diagnostics,
  };
}

/** Whether the plan may act on a resource with these tags: read, and owned by nobody or by this project. */
export function mine(project: string, tags: Record<string, string> | undefined): boolean {
  return tags !== undefined && [undefined, project].includes(ownerOf(tags));
}

/** The user's tags a declaration selects (none: undefined, so the declaration leaves Tags out). */
export function selectedTags(tags: Record<string, string>, select: Selection): Record<string, string> | undefined {
  const selected = Object.entries(userTags(tags)).filter(([key]) => select.tag(key));
  return selected.length ? Object.fromEntries(selected) : undefined;
}

/** Code-point order of a key: the same on every machine. */
export function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The normal value of a declared attribute: undefined when not declared, null when it declares "no value". */
export function declaredValue<T>(value: T | undefined, normalize: (value: T) => unknown): unknown {
  if (value === undefined) return undefined;
  return clean(normalize(value)) ?? null;
}

/** The first diff whose attribute cannot change in place, by the kind's attribute table. */
export function replacing(table: AttributeTable, diffs: readonly { path: string }[]): { path: string } | undefined {
  return diffs.find((diff) => table[diff.path.split('.')[0]]?.impact === 'replace');
}

/**
 * IgnoreChanges: the attributes a declaration names there are sent when the resource is created
 * and never compared afterwards, as if they were neither declared nor recorded by the last apply
 * (so they are never cleared either). Returns what is compared, and the record as it counts.
 */
export function ignoring(ignored: readonly string[] | null | undefined, declared: ReadonlySet<string>, previous: AppliedRecord | undefined) {
  const names = new Set(ignored ?? []);
  const compared = new Set([...declared].filter((key) => !names.has(key)));
  if (!names.size || !previous) return { compared, previous };
  return { compared, previous: { ...previous, a: previous.a?.filter((name) => !names.has(name)), t: names.has('Tags') ? [] : previous.t } };
}

/** One kind's attribute changes: what to set (with the values that mean "none" for clears by value) and what to clear. */
export interface AttributeDelta<A extends string> {
  diffs: DiffSpec[];
  set: Partial<Record<A, unknown>>;
  /** Attributes to clear through the kind's AttributesToDelete. */
  clear: A[];
}

/**
 * Three-way comparison of a resource's attributes: a declared value is managed; a declared "no
 * value" is cleared; an undeclared attribute is left alone unless the last apply managed it, in
 * which case it is cleared (set to its normal value of "absent", or deleted), or let go where the
 * table says it cannot be cleared. Set-like attributes diff as sets.
 */
export function attributeDelta<A extends string>(facts: {
  names: readonly A[];
  table: AttributeTable;
  want: Partial<Record<A, unknown>>;
  have: Partial<Record<A, unknown>>;
  declared: ReadonlySet<string>;
  recorded: readonly string[] | undefined;
  /** The normal form of "not declared": a default, or undefined. */
  absent(name: A): unknown;
}): AttributeDelta<A> {
  const { names, table, want, have, declared, absent } = facts;
  const recorded = new Set(facts.recorded);
  const delta: AttributeDelta<A> = { diffs: [], set: {}, clear: [] };
  for (const name of names) {
    const clear = table[name]?.clear ?? 'none';
    if (!declared.has(name) && (!recorded.has(name) || clear === 'none')) continue;
    const wanted = declared.has(name) ? want[name] : absent(name);
    const current = have[name];
    if (sameValue(wanted, current)) continue;
    if (table[name]?.compare !== 'scalar') delta.diffs.push(setDiff(name, (current as unknown[] | undefined) ?? [], wanted as unknown[] | undefined));
    else delta.diffs.push({ path: name, ...(current !== undefined ? { before: current } : {}), after: wanted ?? null });
    if (wanted !== undefined) delta.set[name] = wanted;
    else if (typeof clear === 'object' && 'value' in clear) delta.set[name] = clear.value;
    else if (clear !== 'none') delta.clear.push(name);
  }
  return delta;
}

/**
 * The shared tag reader's part for a kind whose listing reads the whole account and whose
 * resources are identified by Name: the declared ones, and with prune every other one (it may be
 * this project's to delete).
 */
export function accountTags<T extends Tagged['target']>(facts: {
  resourceType: string;
  declared(config: Config): readonly { Name: string }[] | undefined;
  live(live: LiveState): Record<string, T>;
  address(name: string): string;
  arn(resource: T): string;
}): KindTags {
  const listed = (live: LiveState, named: (name: string) => boolean) =>
    Object.entries(facts.live(live))
      .filter(([name]) => named(name))
      .map(([name, target]) => ({ address: facts.address(name), arn: facts.arn(target), target }));
  return {
    resourceType: facts.resourceType,
    listing: 'account',
    declared: (config) => facts.declared(config)?.length ?? 0,
    needing: ({ config, live, prune }) => {
      const declared = new Set((facts.declared(config) ?? []).map((resource) => resource.Name));
      return listed(live, (name) => prune || declared.has(name));
    },
    listed: (live) => listed(live, () => true),
    // AppStream names hold no "/": the name is what follows the type in the ARN's resource part.
    addressOf: (arn) => facts.address(arn.slice(arn.indexOf('/') + 1)),
  };
}

/**
 * Plans a kind identified by Name: every declared resource (from its live state, when it exists),
 * then with prune every live one this project owns that is no longer declared, unless declarations
 * still name it (`namedBy`: refused, naming them). Nothing unowned is ever pruned. `normal` is the
 * live resource's normal form, computed once for its digest and plan.
 */
export function planByName<C extends { Name: string }, L extends { tags?: Record<string, string> }, N>(
  { ctx, config, wanted, subject, plan }: KindPlanInput,
  facts: {
    list: string;
    declared: readonly C[] | undefined;
    live: Record<string, L>;
    address(name: string): string;
    normal(found: L): N;
    digest(found: L, normal?: N): string;
    declare(resource: C, found: L | undefined, at: Subject, normal: N | undefined): ResourcePlan;
    prune(found: L, at: Subject): ResourcePlan;
    namedBy?: { noun: string; users(name: string, found: L): NamedBy[] };
  },
): void {
  const declared = new Set<string>();
  (facts.declared ?? []).forEach((resource, i) => {
    const address = facts.address(resource.Name);
    declared.add(resource.Name);
    if (!wanted(address)) return;
    const found = facts.live[resource.Name];
    const normal = found && facts.normal(found);
    const at = subject(address, `/${facts.list}/${i}`, () => (found ? facts.digest(found, normal) : null));
    plan(at, () => facts.declare(resource, found, at, normal));
  });
  if (!ctx.prune) return;
  for (const [name, found] of Object.entries(facts.live)) {
    const address = facts.address(name);
    if (declared.has(name) || ownerOf(found.tags) !== config.project || !wanted(address)) continue;
    const at = subject(address, undefined, () => facts.digest(found));
    plan(at, () => (facts.namedBy ? stillNamed(at, facts.namedBy.noun, facts.namedBy.users(name, found)) : undefined) ?? facts.prune(found, at));
  }
}

/** Reads something of each resource, a bounded pool at a time; a failure is recorded for its resource alone. */
export async function readEach<T>(items: readonly T[], read: (item: T) => Promise<void>, failed: (item: T, error: unknown) => void): Promise<void> {
  await mapPool(items, (item) => read(item).catch((error: unknown) => failed(item, error)));
}

/**
 * LatestImage: the newest AVAILABLE image whose name starts with `prefix` (by CreatedTime, then
 * the greater name), and how many matched.
 */
export function newestImage<I extends { Name?: string; State?: string; CreatedTime?: Date }>(images: readonly I[], prefix: string): { image?: I; matching: number } {
  const matching = images.filter((image) => image.State === 'AVAILABLE' && image.Name?.startsWith(prefix));
  const newer = (a: I, b: I) => new Date(a.CreatedTime ?? 0).getTime() - new Date(b.CreatedTime ?? 0).getTime() || (a.Name! > b.Name! ? 1 : -1);
  return { image: matching.reduce<I | undefined>((best, image) => (!best || newer(image, best) > 0 ? image : best), undefined), matching: matching.length };
}

/**
 * Looks names up in batches where one unknown name fails a whole call (`missing` tells that
 * error): a failing batch is split in halves until the unknown names are isolated, so a batch
 * whose names all exist costs one call. Any other failure is reported per name.
 */
export async function lookUpByName<T>(
  names: readonly string[],
  facts: { batch: number; read(batch: string[]): Promise<T[]>; missing(error: unknown): boolean; failed(name: string, error: unknown): void },
): Promise<T[]> {
  const look = async (batch: string[]): Promise<T[]> => {
    try {
      return await facts.read(batch);
    } catch (error) {
      if (!facts.missing(error)) return (batch.forEach((name) => facts.failed(name, error)), []);
      if (batch.length === 1) return [];
      const half = Math.ceil(batch.length / 2);
      return (await Promise.all([look(batch.slice(0, half)), look(batch.slice(half))])).flat();
    }
  };
  const batches = Array.from({ length: Math.ceil(names.length / facts.batch) }, (_, i) => names.slice(i * facts.batch, (i + 1) * facts.batch));
  return (await mapPool(batches, look)).flat();
}

/** An AppStream call of a kind's plan, with the waiter that follows it. */
export function appstreamCall(operation: string, input: Record<string, unknown>, wait?: string): CallSpec {
  return { service: 'appstream', operation, input, ...(wait ? { wait } : {}) };
}

/** A fleet or app block builder RUNNING or on its way there: a change that needs a stop interrupts it. */
export function isRunning(state: string | undefined): boolean {
  return state === 'RUNNING' || state === 'STARTING';
}

/**
 * The calls of a resource that runs and stops by Name (fleets, image and app block builders): start and
 * stop, each with its waiter, and a wait-only step that polls until one on its way gets there. For
 * fleets and app block builders, also the calls that leave one STOPPED, and those around its changes.
 */
export function runningStateCalls<W extends string>(ops: { start: string; stop: string; describe: string; running: W; stopped: W }) {
  const start = (name: string) => appstreamCall(ops.start, { Name: name }, ops.running);
  const stop = (name: string) => appstreamCall(ops.stop, { Name: name }, ops.stopped);
  const settle = (name: string, waiter: W) => appstreamCall(ops.describe, { Names: [name] }, waiter);
  return {
    start,
    stop,
    settle,
    /** A running one is stopped, a stopping one waited for until STOPPED. */
    toStopped: (name: string, state: string | undefined): CallSpec[] => (isRunning(state) ? [stop(name)] : state === 'STOPPING' ? [settle(name, ops.stopped)] : []),
    /**
     * The calls around `changes` for the resource's state: one starting or stopping is waited for
     * first; a running one is stopped for what it cannot take in place (`needsStop`), and started
     * again when it is to run.
     */
    lifecycle(name: string, state: string | undefined, want: { changes: CallSpec[]; needsStop: boolean; keepRunning: boolean }): { calls: CallSpec[]; stops: boolean } {
      const running = isRunning(state);
      const { changes } = want;
      const stops = running && ((changes.length > 0 && want.needsStop) || !want.keepRunning);
      const starts = want.keepRunning && (!running || stops);
      if (!changes.length && !stops && !starts) return { calls: [], stops: false };
      const settled = state === 'STARTING' ? [settle(name, ops.running)] : state === 'STOPPING' ? [settle(name, ops.stopped)] : [];
      // Changes a running resource takes in place go in before a stop that only the declared State asks for.
      if (running && !want.needsStop) return { calls: [...settled, ...changes, ...(stops ? [stop(name)] : [])], stops };
      return { calls: [...settled, ...(stops ? [stop(name)] : []), ...changes, ...(starts ? [start(name)] : [])], stops };
    },
  };
}

/** Set-like lists of the VPC members that fleets and builders share. */
export const VPC_SETS: KindDefinition['sets'] = [
  { path: ['VpcConfig', 'SubnetIds'], noun: 'subnet', key: itself },
  { path: ['VpcConfig', 'SecurityGroupIds'], noun: 'security group', key: itself },
];

/** Builders' access endpoints, one per type and endpoint. */
export const ACCESS_ENDPOINT_SET: KindDefinition['sets'][number] = {
  path: ['AccessEndpoints'],
  noun: 'access endpoint',
  key: (endpoint) => `${String((endpoint as Record<string, unknown>).EndpointType)}/${String((endpoint as Record<string, unknown>).VpceId ?? '')}`,
};
