import { canonicalJson as canonical } from '../core/digest.js';
import { TOOL_TAG_PREFIX } from '../core/ownership.js';

/**
 * Value rules shared by every resource kind. All functions are pure and return new values:
 * normalizing never mutates its input, and normalizing a normalized value changes nothing.
 */

/**
 * A value with "no value" removed, recursively: null, undefined, '' and empty lists or mappings
 * are absent (undefined). The service echoes empty members inconsistently, so they never count.
 */
export function clean(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const cleaned = clean(member);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** A list compared as a set: deduplicated and in canonical order; empty is absent. */
export function asSet<T>(items: readonly T[] | null | undefined, key: (item: T) => string = canonical): T[] | undefined {
  if (!items?.length) return undefined;
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** Deep equality of plain data; object key order and members set to undefined do not count. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter((key) => x[key] !== undefined);
  return keys.length === Object.keys(y).filter((key) => y[key] !== undefined).length && keys.every((key) => sameValue(x[key], y[key]));
}

/** Tag keys that belong to AWS or to streamform itself: never part of the user's tags. */
const RESERVED_TAG_PREFIXES = [TOOL_TAG_PREFIX, 'aws:'];

export function isReservedTagKey(key: string): boolean {
  return RESERVED_TAG_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** The user's tags as a map (streamform's and AWS's own keys left out). */
export function userTags(tags: Record<string, string> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags ?? {}).sort()) if (!isReservedTagKey(key)) out[key] = tags![key];
  return out;
}
