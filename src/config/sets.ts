import { KINDS } from '../kinds/index.js';
import { childPointer } from './pointer.js';
import { field, type SetList } from '../core/sets.js';

export type { SetList } from '../core/sets.js';

/** Each kind's list (its elements identified by the kind's identity), then the sets inside its resources. */
export const SET_LISTS: readonly SetList[] = [
  ...KINDS.map((kind) => ({ path: [kind.list], noun: kind.identity.length > 1 ? `${kind.noun} (${kind.identity.join('/')})` : kind.noun, key: field(...kind.identity) })),
  ...KINDS.flatMap((kind) => kind.sets.map((set) => ({ ...set, path: [kind.list, '*', ...set.path] }))),
];

/** Every value at `path` in `value`, with its JSON pointer; `*` goes through every element of a list. */
export function* valuesAt(value: unknown, path: readonly string[], pointer = ''): Generator<{ pointer: string; value: unknown }> {
  if (path.length === 0) {
    if (value !== undefined) yield { pointer, value };
    return;
  }
  const [head, ...rest] = path;
  if (head === '*') {
    if (Array.isArray(value)) for (const [i, element] of value.entries()) yield* valuesAt(element, rest, childPointer(pointer, i));
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    yield* valuesAt((value as Record<string, unknown>)[head], rest, childPointer(pointer, head));
  }
}

/** Every list at `path`; anything else there is skipped (the schema reports it). */
export function* listsAt(value: unknown, path: readonly string[]): Generator<{ pointer: string; list: unknown[] }> {
  for (const found of valuesAt(value, path)) if (Array.isArray(found.value)) yield { pointer: found.pointer, list: found.value };
}
