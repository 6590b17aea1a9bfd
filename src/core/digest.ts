import { createHash } from 'node:crypto';
import { remembered } from './memo.js';

/** Hex SHA-256 of a value's canonical JSON (key order never matters), cut to `length` characters. */
export function digest(value: unknown, length = 64): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** The set-like lists of a value as a tree of paths, to know while serializing which lists to sort. */
export interface SetNode {
  set?: { key(element: unknown): string | undefined };
  children: Map<string, SetNode>;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return canonical(value, undefined);
}

/** Object keys as canonical JSON writes them, quoted and followed by the colon: the same few keys recur in every value. */
const keyTexts = new Map<string, string>();
const keyText = (key: string) => remembered(keyTexts, key, () => `${JSON.stringify(key)}:`);

/**
 * Canonical JSON in one pass; the lists that `sets` marks are sorted by their elements' identity,
 * then canonical text (each element's own lists sorted first, as its text is built).
 */
export function canonical(value: unknown, sets: SetNode | undefined): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const each = sets?.children.get('*');
    const set = sets?.set;
    if (!set) {
      let text = '[';
      for (let i = 0; i < value.length; i++) text += (i ? ',' : '') + canonical(value[i], each);
      return `${text}]`;
    }
    const texts = value.map((element) => canonical(element, each));
    const keyed = value.map((element, i) => ({ key: `${set.key(element) ?? ''}\u0000${texts[i]}`, text: texts[i] }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return `[${keyed.map((k) => k.text).join(',')}]`;
  }
  const object = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member === undefined) continue;
    if (text.length > 1) text += ',';
    text += keyText(key) + canonical(member, sets?.children.get(key));
  }
  return `${text}}`;
}
