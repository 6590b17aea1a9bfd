/**
 * The imports of several targets as one config of targets: pure, no AWS. Every resource is declared
 * once; one that only some targets have names them in `Targets`; a value that differs between the
 * targets becomes `${vars.<key>}`, with each target's value in its `vars`. Substituting a target's
 * vars (as the loader does) gives back what that target's own import declared, plus, where other
 * targets declare a member it has at its default (or, for a list, empty), that default: the plan
 * finds it as it is, so the merged file plans against every target as its own import would.
 *
 * Best effort: a difference a variable cannot hold (a member some targets set and others have no
 * value for, a null, lists of objects of different lengths) leaves that resource declared once per
 * distinct value, each copy restricted with `Targets`; a usage report subscription (one per account
 * and region, so never copied) with such a difference is left out. Each is said in `unmerged`.
 */
import { canonicalJson } from '../core/digest.js';
import { addressOf, KINDS, type KindDefinition } from '../kinds/index.js';
import { sortedBy } from '../kinds/resource.js';
import type { Config, Target } from '../config/types.js';
import type { ImportNote, ImportResult } from './build.js';

/** A target of the merged config: as the given config reaches it; its vars are the merge's. */
export type ImportTarget = Omit<Target, 'vars'>;

/** The import of one target. */
export interface TargetImport {
  target: ImportTarget;
  result: ImportResult;
}

type Value = unknown;

/** A value that differs between targets: `${vars.<key>}` in the merged config once its key is chosen. */
class Variable {
  key = '';
  constructor(
    readonly candidates: readonly string[],
    readonly values: ReadonlyMap<string, Value>,
  ) {}
}

/** A difference that no variable can hold; its message names the member and the targets. */
class Unmergeable extends Error {}

/** `refused`: resources not to merge but declare once per target, by address, with the reason. */
export function mergeImports(imports: readonly TargetImport[], project: string, refused: ReadonlyMap<string, string> = new Map()): ImportResult {
  const names = imports.map(({ target }) => target.name);
  const variables: Variable[] = [];
  const unmerged: ImportNote[] = [];
  const config: Record<string, unknown> = { version: 1, project, targets: [] };
  const complete = new Map(imports.map(({ target, result }) => [target.name, result.complete]));
  for (const kind of KINDS) {
    const declarations = imports.map(({ result }) => (result.config as unknown as Record<string, unknown>)[kind.list]);
    if (kind.singleton) {
      const merged = mergeSingleton(kind, declarations as (Record<string, unknown> | undefined)[], names, { variables, unmerged });
      if (merged !== undefined) config[kind.list] = merged;
      continue;
    }
    const merged = mergeList(kind, declarations as (Record<string, unknown>[] | undefined)[], names, { complete, variables, unmerged, refused });
    if (merged.length) config[kind.list] = merged;
  }
  nameVariables(variables);
  config.targets = imports.map(({ target }) => {
    const vars = Object.fromEntries(variables.filter((v) => v.values.has(target.name)).map((v) => [v.key, v.values.get(target.name)]));
    return { ...target, ...(Object.keys(vars).length ? { vars } : {}) };
  });
  for (const kind of KINDS) if (config[kind.list] !== undefined) config[kind.list] = placeVariables(config[kind.list]);
  return { config: config as unknown as Config, notes: mergeNotes(imports, names), unmerged: sortedBy(unmerged, (n) => n.address) };
}

/**
 * A kind of one resource per account and region (usageReports): declared once, with Targets where
 * only some targets have it and variables where they differ; left out when a variable cannot hold
 * a difference, since there can be no copies of it.
 */
function mergeSingleton(
  kind: KindDefinition,
  declarations: (Record<string, unknown> | undefined)[],
  names: string[],
  { variables, unmerged }: Pick<MergeContext, 'variables' | 'unmerged'>,
): Value {
  const having = names.filter((_, i) => declarations[i] !== undefined);
  if (having.length === 0) return undefined;
  try {
    return restricted(kind, mergeDeclarations(kind, declarations.filter((d) => d !== undefined), having, kind.name, variables), having, names);
  } catch (error) {
    if (!(error instanceof Unmergeable)) throw error;
    unmerged.push({ address: addressOf(kind, () => undefined), message: `left out: ${error.message}`, declared: false });
    return undefined;
  }
}

/** One resource of the targets that have it, its differing values as variables (added to `variables` only when it merges). */
function mergeDeclarations(kind: KindDefinition, values: Record<string, unknown>[], having: string[], label: string, variables: Variable[]): Record<string, unknown> {
  const found: Variable[] = [];
  const resource = mergeValue(values, having, [], (path, differing) => {
    const variable = new Variable(candidateKeys(kind, label, path), differing);
    found.push(variable);
    return variable;
  }) as Record<string, unknown>;
  variables.push(...found);
  return resource;
}

/** What the merge of every kind's resources shares. */
interface MergeContext {
  /** Each target's ImportResult.complete, by target name. */
  complete: ReadonlyMap<string, ImportResult['complete']>;
  variables: Variable[];
  unmerged: ImportNote[];
  refused: ReadonlyMap<string, string>;
}

/** One kind's resources: each once, with Targets where only some targets have it; copies where a difference cannot be a variable. */
function mergeList(kind: KindDefinition, declarations: (Record<string, unknown>[] | undefined)[], names: string[], context: MergeContext): Record<string, unknown>[] {
  const { complete, variables, unmerged, refused } = context;
  const byAddress = new Map<string, Map<string, Record<string, unknown>>>();
  declarations.forEach((resources, i) => {
    for (const resource of resources ?? []) {
      const address = addressOf(kind, (member) => resource[member]);
      if (!byAddress.has(address)) byAddress.set(address, new Map());
      byAddress.get(address)!.set(names[i], resource);
    }
  });
  const merged: Record<string, unknown>[] = [];
  for (const address of sortedBy([...byAddress.keys()], (a) => a)) {
    const perTarget = byAddress.get(address)!;
    const having = [...perTarget.keys()];
    const values = filled([...perTarget.values()], having.map((name) => complete.get(name)?.get(address)));
    if (values.some(holdsVariable)) {
      unmerged.push({ address, message: 'left out: a value of it holds "${vars.", which a config of targets reads as a variable', declared: false });
      continue;
    }
    const copies = (reason: string) => {
      const groups = groupBy(having, (name) => canonicalJson(perTarget.get(name)));
      unmerged.push({ address, message: `declared once per target (${groups.map((g) => `Targets: [${g.join(', ')}]`).join('; ')}): ${reason}`, declared: true });
      for (const group of groups) merged.push(restricted(kind, perTarget.get(group[0])!, group, names));
    };
    const reason = refused.get(address);
    if (reason !== undefined) {
      copies(`merged, it would not validate: ${reason}`);
      continue;
    }
    const label = kind.identity.map((member) => String(values[0][member])).join('_');
    try {
      merged.push(restricted(kind, mergeDeclarations(kind, values, having, label, variables), having, names));
    } catch (error) {
      if (!(error instanceof Unmergeable)) throw error;
      copies(error.message);
    }
  }
  return merged;
}

/**
 * The targets' values of one member as one value: the shared value, objects member by member,
 * lists of objects item by item, and a Variable for differing values a variable can hold.
 */
function mergeValue(values: Value[], names: string[], path: (string | number)[], variable: (path: (string | number)[], values: Map<string, Value>) => Variable): Value {
  if (values.every((value) => same(value, values[0]))) return values[0];
  const where = path.length ? memberPath(path) : 'the resource';
  if (values.every(isObject)) {
    const keys = [...new Set(values.flatMap((value) => Object.keys(value as object)))];
    const merged: Record<string, Value> = {};
    for (const key of keys) {
      const lacking = names.filter((_, i) => !Object.hasOwn(values[i] as object, key));
      if (lacking.length) {
        throw new Unmergeable(`${memberPath([...path, key])} is set in ${list(names.filter((n) => !lacking.includes(n)))}, not in ${list(lacking)}`);
      }
      merged[key] = mergeValue(
        values.map((value) => (value as Record<string, Value>)[key]),
        names,
        [...path, key],
        variable,
      );
    }
    return merged;
  }
  if (values.every(isVariableValue)) return variable(path, new Map(names.map((name, i) => [name, values[i]])));
  if (values.every(Array.isArray) && values.every((value) => (value as Value[]).length === (values[0] as Value[]).length)) {
    return (values[0] as Value[]).map((_, index) =>
      mergeValue(
        values.map((value) => (value as Value[])[index]),
        names,
        [...path, index],
        variable,
      ),
    );
  }
  if (values.some((value) => value === null)) throw new Unmergeable(`${where} is null in ${list(names.filter((_, i) => values[i] === null))}, which a variable cannot be`);
  if (values.every(Array.isArray))
    throw new Unmergeable(`${where} holds lists of objects of different lengths (${names.map((n, i) => `${n} ${(values[i] as Value[]).length}`).join(', ')}), which a variable cannot hold`);
  throw new Unmergeable(`${where} has values of different kinds (${names.map((n, i) => `${n}: ${kindOf(values[i])}`).join(', ')})`);
}

/**
 * Each target's declaration with the members the others declare, where it has them at their default
 * (see ImportResult.complete), or has none of a list the others declare (an empty list declares as much).
 */
function filled(declarations: Record<string, unknown>[], complete: (Record<string, unknown> | undefined)[]): Record<string, unknown>[] {
  const members = [...new Set(declarations.flatMap((declaration) => Object.keys(declaration)))];
  const lists = new Set(members.filter((member) => declarations.every((declaration) => !(member in declaration) || Array.isArray(declaration[member]))));
  return declarations.map((declaration, i) => {
    const known = complete[i];
    if (!known) return declaration;
    const fill = members.filter((member) => !(member in declaration)).flatMap((member) => (member in known ? [[member, known[member]]] : lists.has(member) ? [[member, []]] : []));
    return fill.length ? { ...declaration, ...Object.fromEntries(fill) } : declaration;
  });
}

/** What `vars` can hold (the schema's Target.vars): a string, number or boolean, or a list of them. */
function isVariableValue(value: Value): boolean {
  const scalar = (v: Value) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

/** The resource for these targets: restricted with Targets (after its identity) unless it goes to all. */
function restricted(kind: KindDefinition, resource: Record<string, unknown>, having: string[], names: string[]): Record<string, unknown> {
  if (having.length === names.length) return resource;
  const identity = Object.fromEntries(kind.identity.filter((member) => member in resource).map((member) => [member, resource[member]]));
  return { ...identity, Targets: having, ...resource };
}

/**
 * Keys in order of preference: the resource's name and the member's ("design_subnet_ids"); with the
 * kind and the whole member path; then numbered. All valid for the vars pattern.
 */
function candidateKeys(kind: KindDefinition, label: string, path: (string | number)[]): string[] {
  const members = path.filter((segment): segment is string => typeof segment === 'string');
  return [snake(`${label}_${members.at(-1) ?? 'value'}`), snake([kind.name, label, ...path].join('_'))];
}

/** Each variable gets its first candidate no other variable shares; those left over are numbered. */
function nameVariables(variables: Variable[]): void {
  const taken = new Set<string>();
  let pending = variables;
  for (const level of [0, 1]) {
    const counts = new Map<string, number>();
    for (const v of pending) counts.set(v.candidates[level], (counts.get(v.candidates[level]) ?? 0) + 1);
    pending = pending.filter((v) => {
      const key = v.candidates[level];
      if (counts.get(key) !== 1 || taken.has(key)) return true;
      taken.add((v.key = key));
      return false;
    });
  }
  for (const v of pending) {
    let n = 2;
    while (taken.has(`${v.candidates[1]}_${n}`)) n++;
    taken.add((v.key = `${v.candidates[1]}_${n}`));
  }
}

function placeVariables(value: Value): Value {
  if (value instanceof Variable) return `\${vars.${value.key}}`;
  if (Array.isArray(value)) return value.map(placeVariables);
  if (isObject(value)) return Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, placeVariables(item)]));
  return value;
}

/** The targets' notes, each once, naming its targets unless every target has it. */
function mergeNotes(imports: readonly TargetImport[], names: string[]): ImportNote[] {
  const merged = new Map<string, ImportNote & { targets: string[] }>();
  for (const { target, result } of imports) {
    for (const note of result.notes) {
      const key = JSON.stringify([note.address, note.declared, note.message]);
      const entry = merged.get(key) ?? { ...note, targets: [] };
      entry.targets.push(target.name);
      merged.set(key, entry);
    }
  }
  return sortedBy([...merged.values()], (n) => n.address).map(({ targets, ...note }) => (targets.length === names.length ? note : { ...note, targets }));
}

/** Whether a live string would read as a variable in a config of targets. */
function holdsVariable(value: Value): boolean {
  if (typeof value === 'string') return value.includes('${vars.');
  if (Array.isArray(value)) return value.some(holdsVariable);
  return isObject(value) && Object.values(value as object).some(holdsVariable);
}

function snake(text: string): string {
  const key = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(key) || key === '' ? `_${key}` : key;
}

function memberPath(path: (string | number)[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

const same = (a: Value, b: Value) => canonicalJson(a) === canonicalJson(b);
const isObject = (value: Value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (names: string[]) => names.join(', ');
const kindOf = (value: Value) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);
