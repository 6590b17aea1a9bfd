/** The tags streamform writes: owner and last-applied record. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import facts from '../../src/facts/appstream.json' with { type: 'json' };
import { OWNER_TAG, ownRecord, readRecord, RECORD_TAG, recordTags, toolTags, type AppliedRecord } from '../../src/core/ownership.js';

const TAG_VALUE = new RegExp(facts.shapes.TagValue.pattern, 'u');
const TAG_KEY = new RegExp(facts.shapes.TagKey.pattern, 'u');

const records = fc.record(
  {
    d: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }),
    a: fc.uniqueArray(fc.constantFrom('Description', 'RedirectURL', 'StorageConnectors', 'EmbedHostDomains')),
    t: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 128 }).filter((key) => !key.startsWith('streamform:')), { maxLength: 48 }),
    u: fc.uniqueArray(fc.constantFrom('FILE_UPLOAD', 'FILE_DOWNLOAD', 'CLIPBOARD_COPY_TO_LOCAL_DEVICE')),
    f: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 5 }),
  },
  { requiredKeys: ['d'] },
);

describe('the last-applied record', () => {
  test('reads back as written, with lists sorted, in tags AWS accepts', () => {
    fc.assert(
      fc.property(records, (record) => {
        const tags = recordTags(record);
        for (const [key, value] of Object.entries(tags)) {
          expect(key).toMatch(TAG_KEY);
          expect(value).toMatch(TAG_VALUE);
          expect(value.length).toBeLessThanOrEqual(facts.shapes.TagValue.max);
        }
        // Tag keys kept as hashes are read back from the resource's own keys.
        const read = readRecord({ ...Object.fromEntries((record.t ?? []).map((key) => [key, 'v'])), ...tags })!;
        expect(read.d).toBe(record.d);
        for (const field of ['a', 't', 'u', 'f'] as const) expect(read[field] ?? []).toEqual([...(record[field] ?? [])].sort());
      }),
      { numRuns: 100 },
    );
  });

  test('is one tag, also when long', () => {
    expect(Object.keys(recordTags({ d: '0123456789abcdef', a: ['Description'], t: ['team'] }))).toEqual([RECORD_TAG]);
    const long: AppliedRecord = { d: '0123456789abcdef', t: Array.from({ length: 40 }, (_, i) => `cost-center-${i}`) };
    const tags = recordTags(long);
    expect(Object.keys(tags)).toEqual([RECORD_TAG]);
    expect(readRecord({ ...Object.fromEntries(long.t!.map((key) => [key, 'v'])), ...tags })!.t).toHaveLength(40);
  });

  test('equal records give equal tags, whatever the order of their lists', () => {
    expect(recordTags({ d: 'x', t: ['b', 'a'] })).toEqual(recordTags({ d: 'x', t: ['a', 'b'] }));
  });

  test('an unreadable or missing record is no record', () => {
    expect(readRecord({})).toBeUndefined();
    expect(readRecord({ [RECORD_TAG]: 'not base64 json' })).toBeUndefined();
    expect(readRecord({ [RECORD_TAG]: Buffer.from('{"t":["x"]}').toString('base64') })).toBeUndefined();
    expect(readRecord({ [RECORD_TAG]: recordTags({ d: 'x', t: ['abc'] })[RECORD_TAG].slice(0, 8) })).toBeUndefined();
    // A record of the earlier format, split over numbered tags, with a part missing.
    const json = Buffer.from(JSON.stringify({ d: 'x', t: Array.from({ length: 40 }, (_, i) => `key-${i}`) })).toString('base64');
    expect(readRecord({ [RECORD_TAG]: json.slice(0, 256), [`${RECORD_TAG}.2`]: json.slice(512) })).toBeUndefined();
  });

  test('is trusted only on a resource this project owns', () => {
    const tags = toolTags('studio', { d: 'x', a: ['RedirectURL'] });
    expect(tags[OWNER_TAG]).toBe('studio');
    expect(ownRecord('studio', tags)).toEqual({ d: 'x', a: ['RedirectURL'] });
    expect(ownRecord('other', tags)).toBeUndefined();
  });
});
