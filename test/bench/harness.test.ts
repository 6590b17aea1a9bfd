// The benchmark harness at a tiny scale, so that `npm run bench` cannot rot between runs.
// It asserts what the harness builds and counts, never how fast anything is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml, generateAccount, stacksOnlyConfig, type AccountShape } from '../../bench/account.js';
import { machineInfo, passes, renderJson, renderTable, type Measurement } from '../../bench/report.js';
import { median } from '../../bench/stats.js';

const TINY: AccountShape = { stacks: 4, images: 4, streamingImages: 3, studios: 2, sharedImageEvery: 2, seed: 7 };
const workDir = mkdtempSync(join(tmpdir(), 'streamform-bench-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('seeded account', () => {
  it('declares every resource it seeds, the same for the same seed', () => {
    const account = generateAccount(TINY);
    expect(account).toEqual(generateAccount(TINY));
    expect(account.config.stacks).toHaveLength(4);
    expect(account.config.images).toHaveLength(4);
    expect(account.config.streamingImages).toHaveLength(3);
    expect(account.config.images!.filter((image) => image.SharedWith)).toHaveLength(2);
    // Images and streaming images exist before the first apply; stacks are created by it.
    expect(account.initialState.appstream.stacks).toEqual([]);
    expect(account.initialState.appstream.images.map((image) => image.Name)).toEqual(account.inventory.images);
    const studios = account.initialState.nimble.studios;
    expect(studios.map((studio) => studio.studioId)).toEqual(['stid-bench1', 'stid-bench2']);
    expect(studios.flatMap((studio) => studio.streamingImages.map((image) => image.name))).toEqual(
      expect.arrayContaining(account.config.streamingImages!.map((image) => image.Name)),
    );
    expect(account.inventory.streamingImages).toHaveLength(3);
  });

  it('differs with the seed and survives a YAML round trip', () => {
    const other = generateAccount({ ...TINY, seed: 8 });
    expect(other.config).not.toEqual(generateAccount(TINY).config);
    expect(parse(configYaml(other.config))).toEqual(other.config);
    const stacksOnly = stacksOnlyConfig(5, 1);
    expect(stacksOnly.stacks).toHaveLength(5);
    expect(stacksOnly.images).toBeUndefined();
  });
});

describe('report', () => {
  const measurements: Measurement[] = [
    { section: 'S', name: 'ratio', value: 0.2, unit: 'x', target: { op: '<=', bound: 0.25 } },
    { section: 'S', name: 'calls', value: 31, unit: 'calls', target: { op: '==', bound: 30 }, note: 'one call too many' },
    { section: 'T', name: 'wall time', value: 1234.4, unit: 'ms' },
  ];

  it('holds each number against its target', () => {
    expect(measurements.map(passes)).toEqual([true, false, undefined]);
  });

  it('prints a table with verdicts, notes and problems', () => {
    const table = renderTable(measurements, machineInfo(), ['a problem'], 61_000);
    expect(table).toMatch(/^ {2}ratio +0\.20x +≤ 0\.25x +PASS$/m);
    expect(table).toMatch(/^ {2}calls +31 +\= 30 +MISS$/m);
    expect(table).toMatch(/^ {2}wall time +1,234 ms$/m);
    expect(table).toContain('  - calls: one call too many');
    expect(table).toContain('  - a problem');
    expect(table).toContain('Targets: 1 of 2 met. Total run: 61 s.');
  });

  it('prints the same numbers as JSON', () => {
    const json = JSON.parse(renderJson(measurements, machineInfo(), [], 10));
    expect(json.measurements.map((m: { pass?: boolean }) => m.pass)).toEqual([true, false, undefined]);
    expect(json.machine.cpus).toBeGreaterThan(0);
  });
});

describe('helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
