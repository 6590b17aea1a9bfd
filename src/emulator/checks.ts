/**
 * Checks shared by the state file's sections: each bad value is a StateError naming the member by
 * its path in the file (`appstream.fleets[0].State: …`).
 */
import { facts, validate, type Violation } from './shapes.js';

type Json = Record<string, unknown>;

/** A bad state (file or PUT body); the message names the member. */
export class StateError extends Error {}

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function asObject(value: unknown, path: string): Json {
  if (!isObject(value)) throw new StateError(`${path}: must be a mapping`);
  return value;
}

export function listAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new StateError(`${path}: must be a list`);
  return value;
}

export function checkKeys(value: object, allowed: string[], prefix: string): void {
  const unknown = Object.keys(value).find((k) => !allowed.includes(k));
  if (unknown) throw new StateError(`${prefix}${unknown}: unknown key (expected one of ${allowed.join(', ')})`);
}

/** The model's Tags need at least one entry; a state says "no tags" with {} or by leaving them out. */
export function checkTags(tags: unknown, path: string): void {
  if (tags !== undefined && !(isObject(tags) && Object.keys(tags).length === 0)) checkShape('appstream', 'Tags', tags, `${path}.Tags`);
}

export function checkShape(service: keyof typeof facts, shape: string, value: unknown, path: string): void {
  const [first] = validate(facts[service], shape, value, { textTimestamps: true, rejectUnknown: true });
  if (first) throw new StateError(describe(first, path));
}

function describe(v: Violation, path: string): string {
  const where = v.path.reduce<string>((p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : `${p}.${seg}`), path);
  const shown = v.value === null ? '' : ` (got ${JSON.stringify(v.value)})`;
  return `${where}: ${v.constraint.replace(/^Member /, '')}${shown}`;
}
