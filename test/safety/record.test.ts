/**
 * The last-applied record costs one tag, whatever it lists: a stack may carry the 48 user tags AWS
 * leaves beside streamform's two. Records written by the earlier format (base64 JSON over numbered
 * tags) keep their three-way meaning.
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import facts from '../../src/facts/appstream.json' with { type: 'json' };
import type { StackConfig } from '../../src/config/types.js';
import { STACK_ATTRIBUTES } from '../../src/kinds/stack/normalize.js';
import { isToolTag, OWNER_TAG, readRecord, RECORD_TAG, recordTags, type AppliedRecord } from '../../src/core/ownership.js';
import { planNow, streamform, writeConfig } from '../apply/cli.js';
import { config } from '../plan/helpers.js';
import { emptyLive, liveStack, planOf, toolTagsFor, USER_ACTIONS } from '../plan/live.js';
import { useWorkspace } from './support.js';

const TAG_VALUE = new RegExp(facts.shapes.TagValue.pattern, 'u');
/** `count` distinct tag keys of `length` characters. */
const longKeys = (count: number, length = 60) => Array.from({ length: count }, (_, i) => `cost-allocation/department-${String(i).padStart(2, '0')}/`.padEnd(length, 'x'));
const tagged = (keys: string[]) => Object.fromEntries(keys.map((key) => [key, 'v']));
const withKeys = (record: AppliedRecord, tags: Record<string, string>) => ({ ...tagged(record.t ?? []), ...tags });

/** The record as the previous release wrote it: base64 JSON, 256 characters a tag. */
function earlierFormat(record: AppliedRecord): Record<string, string> {
  const compact = Object.fromEntries(Object.entries(record).filter(([, v]) => !Array.isArray(v) || v.length).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
  const encoded = Buffer.from(JSON.stringify(compact)).toString('base64');
  const chunks = Array.from({ length: Math.ceil(encoded.length / 256) }, (_, i) => encoded.slice(i * 256, (i + 1) * 256));
  return Object.fromEntries(chunks.map((chunk, i) => [i ? `${RECORD_TAG}.${i}` : RECORD_TAG, chunk]));
}

describe('the record', () => {
  const digests = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 });
  const tagKeys = fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_.:/=+-@ ÄéΩ'), minLength: 1, maxLength: 128 }), { maxLength: 48 });
  const stackRecords = fc.record({
    d: digests,
    a: fc.subarray([...STACK_ATTRIBUTES]),
    u: fc.subarray(USER_ACTIONS),
    t: tagKeys,
    f: fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'abcdefghij-_.'), minLength: 1, maxLength: 32 }), { maxLength: 1 }),
  });
  const imageRecords = fc.record({ d: digests, t: tagKeys, s: fc.uniqueArray(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 12 }), { maxLength: 10 }) });

  test('is one tag value AWS accepts, and reads back as written from the resource\'s tags', () => {
    fc.assert(
      fc.property(fc.oneof(stackRecords, imageRecords), (record: AppliedRecord) => {
        const tags = recordTags(record);
        expect(Object.keys(tags)).toEqual([RECORD_TAG]);
        expect(tags[RECORD_TAG]).toMatch(TAG_VALUE);
        expect(tags[RECORD_TAG].length).toBeLessThanOrEqual(256);
        const read = readRecord(withKeys(record, tags))!;
        expect(read.d).toBe(record.d);
        for (const field of ['a', 't', 'u', 'f', 's'] as const) expect(read[field] ?? []).toEqual([...(record[field] ?? [])].sort());
      }),
      { numRuns: 200 },
    );
  });

  test('keeps the tag keys by name while they fit, else by hashes that only the resource\'s own keys match', () => {
    const short: AppliedRecord = { d: '0123456789abcdef', t: ['team', 'cost-center'] };
    expect(readRecord(recordTags(short))!.t).toEqual(['cost-center', 'team']);
    const long: AppliedRecord = { d: '0123456789abcdef', t: longKeys(30) };
    const tags = recordTags(long);
    // Without the keys on the resource, none can be told.
    expect(readRecord(tags)!.t).toEqual([]);
    const live = { ...tagged(longKeys(30).slice(5)), 'added-by-hand': 'v', ...tags };
    expect(readRecord(live)!.t).toEqual(longKeys(30).slice(5));
  });

  test('keeps the stack attributes and user-setting actions in two bytes each, each read back alone', () => {
    const value = recordTags({ d: '0123456789abcdef', a: [...STACK_ATTRIBUTES], u: USER_ACTIONS })[RECORD_TAG];
    expect(Buffer.from(value, 'base64')).toHaveLength(1 + 9 + (3 + 2 * STACK_ATTRIBUTES.length) + (3 + 2 * USER_ACTIONS.length));
    // No two of the service's names share a hash: each reads back as itself only.
    for (const name of [...Object.keys(facts.shapes.CreateStackRequest.members), ...USER_ACTIONS]) {
      expect(readRecord(recordTags({ d: 'x', a: [name], u: [name] }))).toEqual({ d: 'x', a: [name], u: [name] });
    }
    // A name the service does not have is kept by name.
    expect(readRecord(recordTags({ d: 'x', a: ['SomethingNew'] }))).toEqual({ d: 'x', a: ['SomethingNew'] });
  });

  test('a record of the earlier format reads as it did', () => {
    const record: AppliedRecord = { d: '0123456789abcdef', a: ['Description'], t: longKeys(30), f: ['fleet-a'] };
    const tags = earlierFormat(record);
    expect(Object.keys(tags).length).toBeGreaterThan(5);
    expect(readRecord(tags)).toEqual({ ...record, t: [...record.t!].sort() });
  });
});

describe('a stack with 30 long tag keys', () => {
  const keys = longKeys(30);
  const stack = (tagKeys: string[]): StackConfig => ({ Name: 'wide', Description: 'many tags', Tags: tagged(tagKeys) });
  const cfg = (tagKeys: string[]) => config({ stacks: [stack(tagKeys)] });

  /** The stack as the previous release left it after applying all 30 keys. */
  function appliedEarlier() {
    const tool = toolTagsFor(cfg(keys), 'stack/wide');
    const record = readRecord({ ...tagged(keys), ...tool })!;
    const live = emptyLive();
    live.stacks.wide = liveStack('wide', { Description: 'many tags' }, { ...tagged(keys), [OWNER_TAG]: tool[OWNER_TAG], ...earlierFormat(record) });
    return live;
  }

  test('costs streamform two tags', () => {
    const [create] = planOf(cfg(keys), emptyLive()).calls;
    expect(Object.keys(create.input.Tags as object).filter(isToolTag)).toEqual([OWNER_TAG, RECORD_TAG]);
  });

  test('as do 48 tags of 128-character keys, the most AWS leaves beside streamform\'s two', () => {
    const plan = planOf(config({ stacks: [{ Name: 'wide', Tags: tagged(longKeys(48, 128)) }] }), emptyLive());
    expect(plan.diagnostics).toEqual([]);
    expect(Object.keys(plan.calls[0].input.Tags as object)).toHaveLength(50);
  });

  test('applied by the previous release, plans nothing while the config is unchanged', () => {
    expect(planOf(cfg(keys), appliedEarlier()).calls).toEqual([]);
  });

  test('applied by the previous release, untags exactly the keys removed from the config, and the record becomes one tag', () => {
    const plan = planOf(cfg(keys.slice(5)), appliedEarlier());
    expect(plan.calls.map((c) => c.operation)).toEqual(['UntagResource', 'TagResource']);
    const untagged = plan.calls[0].input.TagKeys as string[];
    expect(untagged.filter((key) => !isToolTag(key))).toEqual(keys.slice(0, 5));
    const chunks = Object.keys(appliedEarlier().stacks.wide.tags!).filter((key) => key.startsWith(`${RECORD_TAG}.`));
    expect(chunks.length).toBeGreaterThan(5);
    expect(untagged.filter(isToolTag)).toEqual(chunks);
    expect(Object.keys(plan.calls[1].input.Tags as object)).toEqual([RECORD_TAG]);
  });

  test('a record that cannot fit one tag refuses the stack, saying why', () => {
    const fleets = Array.from({ length: 40 }, (_, i) => `fleet-${i}-`.padEnd(100, 'x'));
    const plan = planOf(config({ stacks: [{ Name: 'wide', Fleets: fleets }] }), emptyLive());
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0].message).toMatch(/^streamform's record of what it manages here would be \d+ characters, more than the 256 a tag value may hold/);
  });
});

describe('against the emulator', () => {
  const workspace = useWorkspace();
  const keys = longKeys(30);
  const yaml = (tagKeys: string[]) => `version: 1\nproject: wide\nstacks:\n  - Name: wide\n    Tags:\n${tagKeys.map((key) => `      ${key}: v\n`).join('')}`;
  const liveTags = async (emulator: { getState(): Promise<{ appstream?: { stacks?: { Tags?: Record<string, string> }[] } }> }) =>
    Object.keys((await emulator.getState()).appstream?.stacks?.[0].Tags ?? {}).sort();

  it('plans, applies and plans clean with 30 tags of 60-character keys; removing 5 from the config untags exactly those', async () => {
    const emulator = await workspace.start();
    const run = (...args: string[]) => streamform([...args, '-f', 'wide.yaml', '--endpoint', emulator.url], workspace.dir());
    writeConfig(workspace.dir(), 'wide.yaml', yaml(keys));
    const applied = await run('apply', '--yes');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(await liveTags(emulator)).toEqual([...keys, OWNER_TAG, RECORD_TAG].sort());
    const clean = await run('plan', '--detailed-exitcode');
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/No changes\.\n$/);

    writeConfig(workspace.dir(), 'wide.yaml', yaml(keys.slice(5)));
    const plan = await planNow(workspace.dir(), ['wide.yaml'], emulator.url);
    expect(plan.calls.map((c) => [c.operation, c.input.TagKeys ?? Object.keys(c.input.Tags as object)])).toEqual([
      ['UntagResource', keys.slice(0, 5)],
      ['TagResource', [RECORD_TAG]],
    ]);
    expect((await run('apply', '--yes')).code).toBe(0);
    expect(await liveTags(emulator)).toEqual([...keys.slice(5), OWNER_TAG, RECORD_TAG].sort());
    expect((await run('plan', '--detailed-exitcode')).code).toBe(0);
  });

  it('keeps the three-way behaviour of a stack applied by the previous release', async () => {
    const emulator = await workspace.start({ state: { appstream: { stacks: [{ Name: 'wide', Tags: {} }] } } });
    writeConfig(workspace.dir(), 'wide.yaml', yaml(keys));
    const tool = toolTagsFor(config({ project: 'wide', stacks: [{ Name: 'wide', Tags: tagged(keys) }] }), 'stack/wide');
    const earlier = earlierFormat(readRecord({ ...tagged(keys), ...tool })!);
    await emulator.setState({ appstream: { stacks: [{ Name: 'wide', Tags: { ...tagged(keys), [OWNER_TAG]: 'wide', ...earlier } }] } });
    expect((await planNow(workspace.dir(), ['wide.yaml'], emulator.url)).calls).toEqual([]);

    writeConfig(workspace.dir(), 'wide.yaml', yaml(keys.slice(5)));
    expect((await streamform(['apply', '--yes', '-f', 'wide.yaml', '--endpoint', emulator.url], workspace.dir())).code).toBe(0);
    expect(await liveTags(emulator)).toEqual([...keys.slice(5), OWNER_TAG, RECORD_TAG].sort());
    expect((await planNow(workspace.dir(), ['wide.yaml'], emulator.url)).calls).toEqual([]);
  });
});
