/**
 * The plan as JSON, the contract for machines (`plan --format json` and the `--out` plan file),
 * and the strict reader of saved plan files. One description of the format serves both: writing
 * puts the keys in its order, reading checks every field against it. Its field lists are typed
 * against src/plan/types.ts, so a field added there does not compile until it is described here.
 */
import { UserError } from '../core/errors.js';
import {
  PLAN_FORMAT_VERSION,
  type Action,
  type AttributeDiff,
  type BaseDrift,
  type Impact,
  type ReasonCode,
  type Diagnostic,
  type Plan,
  type PlannedCall,
  type ResourceChange,
  type SourceLocation,
  type TargetPlans,
  type UndeclaredResource,
  type UnmanagedTags,
} from '../core/plan.js';
import { KINDS, kindNamed } from '../kinds/index.js';

/** Pretty-printed, keys in the documented order, ending with a newline. */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(readPlan(plan, ''), null, 2) + '\n';
}

/** The plans of a config's targets: one plan alone when it declares none, else `{formatVersion, project, targets}`. */
export function renderPlansJson(plans: readonly Plan[]): string {
  if (plans.length === 1 && plans[0].target.name === undefined) return renderPlanJson(plans[0]);
  const document: TargetPlans = { formatVersion: PLAN_FORMAT_VERSION, project: plans[0].project, targets: plans.map((plan) => readPlan(plan, '')) };
  return JSON.stringify(document, null, 2) + '\n';
}

/**
 * Reads a saved plan of either form (one plan, or the plans of several targets) as its list of
 * plans. A plan of targets names each target once, and names them all.
 */
export function parsePlansFile(text: string, fileName = 'plan file'): Plan[] {
  const data = parseJsonObject(text, fileName);
  if (!Array.isArray(data.targets)) return [parsePlanFile(text, fileName)];
  return readChecked(fileName, () => {
    const document = readTargetPlans(data, '');
    const names = new Set<string>();
    document.targets.forEach((plan, i) => {
      const name = plan.target.name;
      if (name === undefined) throw new PlanShapeError(`targets[${i}].target.name`, 'is missing');
      if (names.has(name)) throw new PlanShapeError(`targets[${i}].target.name`, `repeats ${JSON.stringify(name)}`);
      if (plan.project !== document.project) throw new PlanShapeError(`targets[${i}].project`, `is ${JSON.stringify(plan.project)}, not the file's ${JSON.stringify(document.project)}`);
      names.add(name);
      try {
        checkConsistency(plan);
      } catch (error) {
        if (error instanceof PlanShapeError) throw new PlanShapeError(`targets[${i}]`, error.message);
        throw error;
      }
    });
    return document.targets;
  });
}

/**
 * Reads a plan file written by `plan --out` (or `--format json`). Anything else, including a plan
 * of another format version, is refused with one line naming the file and the offending field.
 */
export function parsePlanFile(text: string, fileName = 'plan file'): Plan {
  const data = parseJsonObject(text, fileName);
  return readChecked(fileName, () => {
    const plan = readPlan(data, '');
    checkConsistency(plan);
    return plan;
  });
}

/** The file's JSON object, of this streamform's plan format version. */
function parseJsonObject(text: string, fileName: string): Record<string, unknown> {
  const refuse = (problem: string): never => {
    throw new UserError(`${fileName}: ${problem}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return refuse(`not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(data)) return refuse(`not a streamform plan: expected a JSON object, got ${describe(data)}`);
  if (data.formatVersion !== PLAN_FORMAT_VERSION) {
    return refuse(
      data.formatVersion === undefined
        ? 'not a streamform plan: formatVersion is missing'
        : `plan format version ${JSON.stringify(data.formatVersion)} is not supported (this streamform reads "${PLAN_FORMAT_VERSION}"); run plan again`,
    );
  }
  return data;
}

function readChecked<T>(fileName: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PlanShapeError) throw new UserError(`${fileName}: ${error.message}`);
    throw error;
  }
}

/** A field that breaks the format; `message` starts with where it is ("calls[3].input"). */
class PlanShapeError extends Error {
  constructor(at: string, problem: string) {
    super(`${at || 'plan'} ${problem}`);
    this.name = 'PlanShapeError';
  }
}

/** Reads `value` at `at` (e.g. "changes[2].action") as a T, or throws PlanShapeError. */
type Reader<T> = (value: unknown, at: string) => T;
interface Optional<T> {
  optional: Reader<T>;
}
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** Every key of T, in the order it is written; optional keys are marked so. */
type Fields<T> = { [K in keyof T]-?: K extends OptionalKeys<T> ? Optional<Exclude<T[K], undefined>> : Reader<T[K]> };

const expected = (at: string, what: string, value: unknown): never => {
  throw new PlanShapeError(at, `must be ${what}, got ${describe(value)}`);
};

const string: Reader<string> = (v, at) => (typeof v === 'string' ? v : expected(at, 'a string', v));
const boolean: Reader<boolean> = (v, at) => (typeof v === 'boolean' ? v : expected(at, 'true or false', v));
const anyJson: Reader<unknown> = (v) => v;
const record: Reader<Record<string, unknown>> = (v, at) => (isRecord(v) ? v : expected(at, 'an object', v));

const count: Reader<number> = (v, at) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : expected(at, 'a whole number', v));

function positiveInteger(v: unknown, at: string): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : expected(at, 'a positive integer', v);
}

function oneOf<T extends string>(...choices: T[]): Reader<T> {
  return (v, at) => ((choices as unknown[]).includes(v) ? (v as T) : expected(at, `one of ${choices.join(', ')}`, v));
}

function nullable<T>(read: Reader<T>): Reader<T | null> {
  return (v, at) => (v === null ? null : read(v, at));
}

function arrayOf<T>(read: Reader<T>): Reader<T[]> {
  return (v, at) => (Array.isArray(v) ? v.map((item, i) => read(item, `${at}[${i}]`)) : expected(at, 'a list', v));
}

function optional<T>(read: Reader<T>): Optional<T> {
  return { optional: read };
}

function object<T>(fields: Fields<T>): Reader<T> {
  const known = new Set(Object.keys(fields));
  return (v, at) => {
    const source = record(v, at);
    const unknown = Object.keys(source).find((key) => !known.has(key));
    if (unknown !== undefined) throw new PlanShapeError(join(at, unknown), 'is not a field of a streamform plan');
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields) as [string, Reader<unknown> | Optional<unknown>][]) {
      const value = source[key];
      if (typeof field === 'function') {
        if (value === undefined) throw new PlanShapeError(join(at, key), 'is missing');
        result[key] = field(value, join(at, key));
      } else if (value !== undefined) {
        result[key] = field.optional(value, join(at, key));
      }
    }
    return result as T;
  };
}

const readSource = object<SourceLocation>({ file: string, line: positiveInteger, column: positiveInteger });

const IMPACTS: Impact[] = ['update', 'replace', 'interrupt'];
const REASON_CODES: ReasonCode[] = [
  'create',
  'update',
  'drift',
  'adopt',
  'record_only',
  'replace_because_immutable',
  'cleanup_interrupted_replace',
  'prune',
  'no_change',
  'refused',
];

const readDiff = object<AttributeDiff>({
  path: string,
  impact: oneOf(...IMPACTS),
  before: optional(anyJson),
  after: optional(anyJson),
  added: optional(arrayOf(anyJson)),
  removed: optional(arrayOf(anyJson)),
});

const ACTIONS: Action[] = ['create', 'update', 'replace', 'delete', 'no-op'];
const kindName = oneOf(...KINDS.map((kind) => kind.name));
const readChange = object<ResourceChange>({
  address: string,
  kind: kindName,
  action: oneOf(...ACTIONS),
  drift: boolean,
  adopt: boolean,
  reason: optional(string),
  reasonCode: oneOf(...REASON_CODES),
  dependsOn: arrayOf(string),
  interruption: optional(string),
  diffs: arrayOf(readDiff),
  source: optional(readSource),
  liveDigest: nullable(string),
});

const readCall = object<PlannedCall>({
  id: positiveInteger,
  address: string,
  service: oneOf(...new Set(KINDS.map((kind) => kind.service))),
  operation: string,
  input: record,
  phase: count,
  wait: optional(string),
});

const readDiagnostic = object<Diagnostic>({
  severity: oneOf('error', 'warning'),
  address: optional(string),
  message: string,
  source: optional(readSource),
  code: optional(oneOf('unread')),
});

const readPlan = object<Plan>({
  formatVersion: oneOf(PLAN_FORMAT_VERSION),
  project: string,
  configDigest: string,
  configFiles: arrayOf(string),
  target: object<Plan['target']>({ name: optional(string), region: string, endpoint: optional(string), account: optional(string) }),
  createdAt: string,
  changes: arrayOf(readChange),
  calls: arrayOf(readCall),
  diagnostics: arrayOf(readDiagnostic),
  summary: object<Plan['summary']>({ create: count, update: count, replace: count, delete: count }),
  undeclared: optional(arrayOf(object<UndeclaredResource>({ address: string, kind: kindName }))),
  unmanagedTags: optional(arrayOf(object<UnmanagedTags>({ address: string, keys: arrayOf(string) }))),
  baseDrift: optional(arrayOf(object<BaseDrift>({ address: string, diffs: arrayOf(readDiff) }))),
});

const readTargetPlans = object<TargetPlans>({ formatVersion: oneOf(PLAN_FORMAT_VERSION), project: string, targets: arrayOf(readPlan) });

/** What the types cannot say: calls numbered in order, each for a change, addresses that fit their kind. */
function checkConsistency(plan: Plan): void {
  const addresses = new Set<string>();
  plan.changes.forEach((change, i) => {
    const prefix = `${change.kind}/`;
    if (!change.address.startsWith(prefix) || change.address.length === prefix.length) {
      throw new PlanShapeError(`changes[${i}].address`, `must be "${prefix}<name>" for kind ${change.kind}, got ${JSON.stringify(change.address)}`);
    }
    if (addresses.has(change.address)) throw new PlanShapeError(`changes[${i}].address`, `repeats ${JSON.stringify(change.address)}`);
    addresses.add(change.address);
  });
  plan.changes.forEach((change, i) => {
    const unknown = change.dependsOn.find((address) => !addresses.has(address));
    if (unknown !== undefined) throw new PlanShapeError(`changes[${i}].dependsOn`, `names ${JSON.stringify(unknown)}, which is not one of the changes`);
  });
  plan.calls.forEach((call, i) => {
    const at = `calls[${i}]`;
    if (call.id !== i + 1) throw new PlanShapeError(`${at}.id`, `must be ${i + 1} (calls are numbered in execution order), got ${call.id}`);
    if (i > 0 && call.phase < plan.calls[i - 1].phase) throw new PlanShapeError(`${at}.phase`, `goes back from ${plan.calls[i - 1].phase} to ${call.phase}`);
    if (!addresses.has(call.address)) throw new PlanShapeError(`${at}.address`, `${JSON.stringify(call.address)} is not one of the changes`);
    const kind = kindNamed(call.address.slice(0, call.address.indexOf('/')))!;
    if (call.wait !== undefined && !kind.waiters?.[call.wait]) {
      throw new PlanShapeError(`${at}.wait`, `must be a waiter of ${kind.name} (${Object.keys(kind.waiters ?? {}).join(', ') || 'it has none'}), got ${JSON.stringify(call.wait)}`);
    }
  });
  for (const action of ['create', 'update', 'replace', 'delete'] as const) {
    const actual = plan.changes.filter((change) => change.action === action).length;
    if (plan.summary[action] !== actual) {
      throw new PlanShapeError(`summary.${action}`, `is ${plan.summary[action]} but ${actual} change(s) have action ${action}`);
    }
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A short, one-line picture of an unexpected value. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
