import { createHash } from 'node:crypto';
import { canonical, type SetNode } from '../core/digest.js';
import { KINDS } from '../kinds/index.js';
import { SET_LISTS } from './sets.js';
import type { Config } from './types.js';


/**
 * A digest of what the config asks for, independent of how it is written: key order, the order
 * of set-like lists (stacks, tags, connectors, fleets, …), how it is split into files, and the
 * equivalent ways to clear an attribute (null, [], {}, "") or to leave pruning off.
 */
export function configDigest(config: Config): string {
  const { prune, ...rest } = config as unknown as Record<string, unknown>;
  const settled: Record<string, unknown> = prune === false ? rest : { ...rest, prune };
  for (const { list: key } of KINDS) {
    const list = settled[key];
    if (Array.isArray(list)) settled[key] = list.map(clearedSpellings);
  }
  return createHash('sha256').update(canonical(settled, SETS)).digest('hex');
}

/** A resource with every documented spelling of "clear" (null, [], {}, "") written as null. */
function clearedSpellings(resource: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...resource };
  for (const [key, value] of Object.entries(copy)) if (clears(key, value)) copy[key] = null;
  return copy;
}

const SETS: SetNode = { children: new Map() };
for (const set of SET_LISTS) {
  let node = SETS;
  for (const segment of set.path) {
    let child = node.children.get(segment);
    if (!child) node.children.set(segment, (child = { children: new Map() }));
    node = child;
  }
  node.set = set;
}

/** The spellings the schema documents as clearing an attribute, like null does. */
function clears(key: string, value: unknown): boolean {
  if (value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return key === 'Tags' && typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

