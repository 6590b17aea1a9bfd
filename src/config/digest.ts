import { createHash } from 'node:crypto';
import { SET_LISTS, type SetList } from './sets.js';
import type { Config } from './types.js';

const RESOURCE_LISTS = ['stacks', 'images', 'streamingImages'];

/**
 * A digest of what the config asks for, independent of how it is written: key order, the order
 * of set-like lists (stacks, tags, connectors, fleets, …), how it is split into files, and the
 * equivalent ways to clear an attribute (null, [], {}, "") or to leave pruning off.
 */
export function configDigest(config: Config): string {
  const { prune, ...rest } = config as unknown as Record<string, unknown>;
  const settled: Record<string, unknown> = prune === false ? rest : { ...rest, prune };
  for (const kind of RESOURCE_LISTS) {
    const list = settled[kind];
    if (Array.isArray(list)) settled[kind] = list.map(clearedSpellings);
  }
  return createHash('sha256').update(canonical(settled, SETS)).digest('hex');
}

/** A resource with every documented spelling of "clear" (null, [], {}, "") written as null. */
function clearedSpellings(resource: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...resource };
  for (const [key, value] of Object.entries(copy)) if (clears(key, value)) copy[key] = null;
  return copy;
}

/** The set-like lists as a tree of paths, to know while serializing which lists to sort. */
interface SetNode {
  set?: SetList;
  children: Map<string, SetNode>;
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

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return canonical(value, undefined);
}

/**
 * Canonical JSON in one pass; the lists that `sets` marks are sorted by their elements' identity,
 * then canonical text (each element's own lists sorted first, as its text is built).
 */
function canonical(value: unknown, sets: SetNode | undefined): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const each = sets?.children.get('*');
    const texts = value.map((element) => canonical(element, each));
    const set = sets?.set;
    if (!set) return `[${texts.join(',')}]`;
    const keyed = value.map((element, i) => ({ key: `${set.key(element) ?? ''}\u0000${texts[i]}`, text: texts[i] }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return `[${keyed.map((k) => k.text).join(',')}]`;
  }
  const object = value as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    text += `${text ? ',' : ''}${JSON.stringify(key)}:${canonical(member, sets?.children.get(key))}`;
  }
  return `{${text}}`;
}
