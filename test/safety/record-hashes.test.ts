/**
 * The reader looks a hashed list's names up among the vocabulary's hashes, computed once: what it
 * reads is still every name whose hash the list holds, at the width records are written with and
 * at any other width a record may state.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { readRecord, RECORD_TAG, recordTags } from '../../src/core/ownership.js';
import { STACK_ATTRIBUTES } from '../../src/kinds/stack/normalize.js';
import { USER_ACTIONS } from '../plan/live.js';

const hash = (name: string, width: number) => [...createHash('sha256').update(name, 'utf8').digest().subarray(0, width)];
const DIGEST = '0123456789abcdef';

/** A format-2 record whose attribute list is kept by `width`-byte hashes of `names`. */
function hashedAttributes(names: string[], width: number): Record<string, string> {
  const bytes = [2, 0xc0 + DIGEST.length / 2, ...Buffer.from(DIGEST, 'hex'), 'A'.charCodeAt(0), width, names.length, ...names.flatMap((name) => hash(name, width))];
  return { [RECORD_TAG]: Buffer.from(bytes).toString('base64') };
}

describe('a record of hashed names', () => {
  test('reads back the attributes and actions it was written with, however many records are read', () => {
    const attributes = [...STACK_ATTRIBUTES].slice(0, 5);
    const tags = recordTags({ d: DIGEST, a: attributes, u: USER_ACTIONS.slice(0, 3) });
    for (let i = 0; i < 3; i++) expect(readRecord(tags)).toEqual({ d: DIGEST, a: [...attributes].sort(), u: USER_ACTIONS.slice(0, 3).sort() });
  });

  test('at another width than it is written with, reads the names whose hashes it holds, and none for a hash of no name', () => {
    const names = [...STACK_ATTRIBUTES].slice(2, 4);
    for (const width of [2, 3, 4]) {
      expect(readRecord(hashedAttributes(names, width))!.a).toEqual([...names].sort());
      expect(readRecord(hashedAttributes(['not a member of any request'], width))!.a).toEqual([]);
    }
    // One byte is too narrow to tell the names apart: every name of that hash is read.
    expect(readRecord(hashedAttributes(names, 1))!.a).toEqual(expect.arrayContaining(names));
  });

  test('read again, a record is what it was, and no reader can change it for the next', () => {
    const tags = recordTags({ d: DIGEST, a: [...STACK_ATTRIBUTES].slice(0, 2), f: ['fleet-a'] });
    const first = readRecord(tags)!;
    expect(() => first.f!.push('fleet-b')).toThrow(TypeError);
    expect(() => Object.assign(first, { d: 'other' })).toThrow(TypeError);
    expect(readRecord(tags)).toEqual({ d: DIGEST, a: [...STACK_ATTRIBUTES].slice(0, 2).sort(), f: ['fleet-a'] });
  });
});
