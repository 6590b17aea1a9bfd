/**
 * What a config is for one of its targets: the resources whose Targets name it (all, when they
 * name none; a singleton kind's object as a list's element), with the target's variables put in
 * for "${vars.key}". Values keep their places in the file, so a problem found after substitution
 * points where the user wrote it.
 */
import { KINDS } from '../kinds/index.js';
import type { Problem } from './diagnostics.js';
import { childPointer, pointerOf, segmentsOf } from './pointer.js';
import type { Target } from './types.js';

/** Where a target's list left an element out, the element's place in the file's list. */
export interface TargetView {
  value: unknown;
  problems: Problem[];
  /** The file's pointer of a pointer into `value`. */
  originOf(pointer: string): string;
  originIndex(list: string, index: number): number;
  /** Nothing left out, no variable put in: the file's resources as written, the very same objects. */
  asWritten: boolean;
}

/** The config's keys that hold resources, one per kind. */
export const RESOURCE_LISTS: ReadonlySet<string> = new Set(KINDS.map((kind) => kind.list));

const VARIABLE = /\$\{vars\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
const WHOLE_VARIABLE = /^\$\{vars\.([A-Za-z_][A-Za-z0-9_]*)\}$/;

export function forTarget(source: { yaml?: { value: unknown } }, declared: readonly Target[], target: Target | undefined): TargetView {
  const data = source.yaml?.value;
  const kept = new Map<string, number[]>();
  const identity: TargetView = { value: data, problems: [], originOf: (pointer) => pointer, originIndex: (_list, index) => index, asWritten: true };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return identity;
  const problems: Problem[] = [];
  const value: Record<string, unknown> = { ...(data as Record<string, unknown>) };
  let asWritten = true;
  for (const { list } of KINDS) {
    const elements = value[list];
    if (isObject(elements)) {
      // A singleton kind's one object (usageReports) goes, or does not, as a list's element does.
      if (goesTo(elements, target, declared)) value[list] = substitute(elements, pointerOf([list]), target, problems);
      else delete value[list];
      asWritten &&= value[list] === elements;
      continue;
    }
    if (!Array.isArray(elements)) continue;
    const indices = elements.map((_, index) => index).filter((index) => goesTo(elements[index], target, declared));
    kept.set(list, indices);
    const substituted = indices.map((index) => substitute(elements[index], pointerOf([list, index]), target, problems));
    asWritten &&= substituted.length === elements.length && substituted.every((element, index) => element === elements[index]);
    value[list] = substituted;
  }
  const originIndex = (list: string, index: number) => kept.get(list)?.[index] ?? index;
  const originOf = (pointer: string) => {
    const [list, index, ...rest] = segmentsOf(pointer);
    return kept.has(list) && index !== undefined ? pointerOf([list, originIndex(list, Number(index)), ...rest]) : pointer;
  };
  return { value, problems, originOf, originIndex, asWritten: asWritten && !problems.length };
}

/** Whether a resource goes to the target: its Targets name it, or it names none. A list naming no declared target goes nowhere. */
function goesTo(element: unknown, target: Target | undefined, declared: readonly Target[]): boolean {
  const named = targetsOf(element);
  if (!named || !target) return true;
  return named.includes(target.name) || !named.some((name) => declared.some((t) => t.name === name));
}

function targetsOf(element: unknown): string[] | undefined {
  const named = (element as { Targets?: unknown } | null)?.Targets;
  return Array.isArray(named) ? named.filter((name): name is string => typeof name === 'string') : undefined;
}

/**
 * `value` with the target's variables in it; a variable it lacks is a problem where it is used. What
 * holds no variable is `value` itself, so that targets share the declarations they do not vary.
 */
function substitute(value: unknown, pointer: string, target: Target | undefined, problems: Problem[]): unknown {
  if (typeof value === 'string') return substituteText(value, pointer, target, problems);
  if (Array.isArray(value)) {
    const items = value.map((item, index) => substitute(item, childPointer(pointer, index), target, problems));
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const substituted = entries.map(([key, item]) => substitute(item, childPointer(pointer, key), target, problems));
    return substituted.every((item, index) => item === entries[index][1]) ? value : Object.fromEntries(entries.map(([key], index) => [key, substituted[index]]));
  }
  return value;
}

function substituteText(text: string, pointer: string, target: Target | undefined, problems: Problem[]): unknown {
  if (!text.includes('${vars.')) return text;
  const lookup = (name: string): NonNullable<Target['vars']>[string] | undefined => {
    const found = target?.vars?.[name];
    if (found === undefined) problems.push({ pointer, message: missingVariable(name, target) });
    return found;
  };
  // A whole value keeps the variable's type: DesiredInstances: ${vars.capacity} is a number.
  const whole = WHOLE_VARIABLE.exec(text);
  if (whole) return lookup(whole[1]) ?? text;
  // Inside a longer string a list is put in as its items joined with commas, as String() writes it.
  return text.replace(VARIABLE, (written, name: string) => String(lookup(name) ?? written));
}

function missingVariable(name: string, target: Target | undefined): string {
  if (!target) return `\${vars.${name}}: variables come from the vars of targets, and this config declares no targets`;
  const known = Object.keys(target.vars ?? {});
  // The loader says which targets lack it.
  return `no variable '${name}' in vars${known.length ? ` (there are ${known.join(', ')})` : ' (there are none)'}`;
}

/** Problems of the targets themselves: names given twice, Targets naming a target the config lacks. */
export function targetProblems(config: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const declared = Array.isArray(config.targets) ? (config.targets as Target[]) : [];
  const names = declared.map((target) => target?.name);
  names.forEach((name, index) => {
    if (typeof name === 'string' && names.indexOf(name) !== index) problems.push({ pointer: pointerOf(['targets', index, 'name']), message: `target ${name} is declared twice` });
  });
  const check = (element: unknown, at: (string | number)[]) =>
    targetsOf(element)?.forEach((name, index) => {
      if (names.includes(name)) return;
      const message = declared.length ? `no target named ${name}; the config has ${names.join(', ')}` : 'Targets needs targets: this config declares none (it has one region)';
      problems.push({ pointer: pointerOf([...at, 'Targets', index]), message });
    });
  for (const { list } of KINDS) {
    const elements = config[list];
    if (isObject(elements)) check(elements, [list]);
    else if (Array.isArray(elements)) elements.forEach((element, index) => check(element, [list, index]));
  }
  return problems;
}

/** The resources without their Targets lists, which only the loader reads. */
export function withoutTargetLists(config: Record<string, unknown>): Record<string, unknown> {
  const omitted = (element: unknown) => (isObject(element) && 'Targets' in element ? omitTargets(element) : element);
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (!RESOURCE_LISTS.has(key)) return [key, value];
      return [key, Array.isArray(value) ? value.map(omitted) : omitted(value)];
    }),
  );
}

function omitTargets({ Targets: _, ...rest }: Record<string, unknown>): Record<string, unknown> {
  return rest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
