/**
 * Diffs of collections compared as sets, shared by every resource kind. Elements compare by value
 * (canonical JSON), never by position.
 */
import type { DiffSpec } from '../core/plan.js';
import { canonicalJson as canonical } from '../core/digest.js';
import { sameValue } from '../normalize/values.js';

/** A set-like attribute: before/after lists plus the elements added and removed. `after` undefined: cleared. */
export function setDiff(path: string, before: readonly unknown[] | undefined, after: readonly unknown[] | undefined): DiffSpec {
  const beforeKeys = new Set((before ?? []).map(canonical));
  const afterKeys = new Set((after ?? []).map(canonical));
  return {
    path,
    ...(before !== undefined ? { before } : {}),
    after: after ?? null,
    added: (after ?? []).filter((item) => !beforeKeys.has(canonical(item))),
    removed: (before ?? []).filter((item) => !afterKeys.has(canonical(item))),
  };
}

/**
 * A collection keyed by one member (tags by key, user settings by action, shares by account):
 * `wanted` maps each managed key to its value, or to undefined for "remove". Returns the keys that
 * differ and one diff whose before/after hold only those keys (a removed key is absent from after).
 */
export function keyedDiff<T>(
  path: string,
  live: Readonly<Record<string, T>>,
  wanted: ReadonlyMap<string, T | undefined>,
  fallback: (key: string) => T | undefined = () => undefined,
): { changed: string[]; removed: string[]; diff?: DiffSpec } {
  const changed: string[] = [];
  const removed: string[] = [];
  const before: Record<string, T> = {};
  const after: Record<string, T> = {};
  for (const key of [...wanted.keys()].sort()) {
    const want = wanted.get(key);
    const have = Object.hasOwn(live, key) ? live[key] : fallback(key);
    if (want === undefined) {
      if (!Object.hasOwn(live, key)) continue;
      removed.push(key);
    } else {
      if (sameValue(want, have)) continue;
      changed.push(key);
      after[key] = want;
    }
    if (have !== undefined) before[key] = have;
  }
  if (!changed.length && !removed.length) return { changed, removed };
  return { changed, removed, diff: { path, ...(Object.keys(before).length ? { before } : {}), after } };
}

/**
 * Three-way targets for a keyed collection: declared keys are managed; an explicit empty
 * declaration removes every live key; keys streamform managed before and no longer declared are removed.
 */
export function keyedTargets<T>(
  live: Readonly<Record<string, T>>,
  declared: Readonly<Record<string, T>> | undefined,
  recorded: readonly string[] | undefined,
): Map<string, T | undefined> {
  const wanted = new Map<string, T | undefined>();
  const clearAll = declared !== undefined && Object.keys(declared).length === 0;
  for (const key of clearAll ? Object.keys(live) : (recorded ?? [])) wanted.set(key, undefined);
  for (const [key, value] of Object.entries(declared ?? {})) wanted.set(key, value);
  return wanted;
}

export interface TagDelta {
  /** Tags to add or overwrite. */
  set: Record<string, string>;
  /** Keys to remove. */
  remove: string[];
  diff?: DiffSpec;
}

/** The user's tags, three-way (`declared` undefined: Tags not in the config). */
export function diffTags(live: Record<string, string>, declared: Record<string, string> | undefined, recorded: readonly string[] | undefined): TagDelta {
  const wanted = keyedTargets(live, declared, recorded);
  const { changed, removed, diff } = keyedDiff('Tags', live, wanted);
  return { set: Object.fromEntries(changed.map((key) => [key, wanted.get(key)!])), remove: removed, ...(diff ? { diff } : {}) };
}
