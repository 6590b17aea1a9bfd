import { createHash } from 'node:crypto';
import { listsAt, SET_LISTS } from './sets.js';
import type { Config } from './types.js';

const RESOURCE_LISTS = ['stacks', 'images', 'streamingImages'];

/**
 * A digest of what the config asks for, independent of how it is written: key order, the order
 * of set-like lists (stacks, tags, connectors, fleets, …), how it is split into files, and the
 * equivalent ways to clear an attribute (null, [], {}, "") or to leave pruning off.
 */
export function configDigest(config: Config): string {
  return createHash('sha256').update(canonicalJson(normalized(config))).digest('hex');
}

function normalized(config: Config): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  if (copy.prune === false) delete copy.prune;
  for (const kind of RESOURCE_LISTS) {
    for (const { list } of listsAt(copy, [kind])) {
      for (const resource of list as Record<string, unknown>[]) {
        for (const [key, value] of Object.entries(resource)) if (clears(key, value)) resource[key] = null;
      }
    }
  }
  // Inner lists first, so an element's canonical form is settled before its list is sorted.
  const deepestFirst = [...SET_LISTS].sort((a, b) => b.path.length - a.path.length);
  for (const set of deepestFirst) {
    for (const { list } of listsAt(copy, set.path)) {
      const keyed = list.map((element) => ({ element, key: `${set.key(element) ?? ''}\u0000${canonicalJson(element)}` }));
      keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      list.splice(0, list.length, ...keyed.map((k) => k.element));
    }
  }
  return copy;
}

/** The spellings the schema documents as clearing an attribute, like null does. */
function clears(key: string, value: unknown): boolean {
  if (value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return key === 'Tags' && typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
