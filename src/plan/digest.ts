import { createHash } from 'node:crypto';
import { canonicalJson } from '../config/digest.js';

/** Hex SHA-256 of a value's canonical JSON (key order never matters), cut to `length` characters. */
export function digest(value: unknown, length = 64): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}

/** The config's digest, as plans carry it (computed where the config is defined). */
export { configDigest } from '../config/digest.js';
