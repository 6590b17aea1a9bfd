// The benchmark harness at a tiny scale, so that `npm run bench` cannot rot between runs.
// It asserts what the harness builds and counts, never how fast anything is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml, generateAccount, stacksOnlyConfig, type AccountShape } from '../../bench/account.js';
import { runNode, builtScript } from '../../bench/processes.js';
import { machineInfo, passes, renderJson, renderTable, type Measurement } from '../../bench/report.js';
import { applyMeasurements, benchApply } from '../../bench/scenarios/apply.js';
import { benchCompute, computeMeasurements, computeProblems } from '../../bench/scenarios/compute.js';
import { benchPlan, planMeasurements } from '../../bench/scenarios/plan.js';
import { benchStartup, startupMeasurements } from '../../bench/scenarios/startup.js';
import { benchThroughput } from '../../bench/scenarios/throughput.js';
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
    { id: 's.ratio', section: 'S', name: 'ratio', value: 0.2, unit: 'x', target: { op: '<=', bound: 0.25 } },
    { id: 's.calls', section: 'S', name: 'calls', value: 31, unit: 'calls', target: { op: '==', bound: 30 }, note: 'one call too many' },
    { id: 't.ms', section: 'T', name: 'wall time', value: 1234.4, unit: 'ms' },
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
    expect(json.measurements.map((m: { id: string; pass?: boolean }) => [m.id, m.pass])).toEqual([
      ['s.ratio', true],
      ['s.calls', false],
      ['t.ms', undefined],
    ]);
    expect(json.machine.cpus).toBeGreaterThan(0);
  });
});

describe('helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('scenarios at a tiny scale', () => {
  it('plan: seeds the account, then measures streamform, the baseline and the fallback on the same account', async () => {
    const options = { shape: TINY, runs: 2, latencyMs: 0, workDir };
    const result = await benchPlan(options);
    expect(result.problems).toEqual([]);
    expect(result.seed.calls).toBeGreaterThan(TINY.stacks);
    // Per stack and per image two calls, per streaming image one, every run.
    expect(result.bulk.baseline.calls).toEqual([19, 19]);
    expect(result.bulk.streamform.calls).toHaveLength(2);
    expect(result.fallback.streamform.ms).toHaveLength(2);
    // One page of each listing, the two shared images' permissions, one listing per studio.
    expect(result.bulk.bound.parts.map((p) => [p.what.split(' ')[0], p.calls])).toEqual([
      ['DescribeStacks', 1],
      ['GetResources', 1],
      ['DescribeImages', 1],
      ['DescribeImagePermissions', 2],
      ['ListStreamingImages', 2],
    ]);
    expect(result.bulk.bound.total).toBe(7);
    expect(result.fallback.bound.total).toBe(1 + 1 + 8 + 1 + 2 + 2);
    const rows = planMeasurements(result, options);
    expect(rows.filter((row) => row.target).map((row) => row.id)).toEqual(['plan.msRatio', 'plan.calls', 'plan.callsRatio', 'plan.fallbackCalls', 'plan.fallbackCallsRatio']);
    expect(rows.find((row) => row.id === 'plan.baselineCalls')?.value).toBe(19);
  });

  it('apply: creates every stack and counts what the rate limit answered', async () => {
    const options = { stacks: 5, rateLimit: 1000, latencyMs: 0, workDir };
    const result = await benchApply(options);
    expect(result).toMatchObject({ exitCode: 0, failedResources: 0, throttled: 0, otherErrors: 0 });
    expect(result.acceptedCalls).toBeGreaterThanOrEqual(5);
    expect(applyMeasurements(result, options).find((m) => m.id === 'apply.failedResources')?.value).toBe(0);
  });

  it('compute: the measured plan holds exactly the synthetic changes', async () => {
    const options = { resources: 100, runs: 1, workDir };
    const result = await benchCompute(options);
    expect(result.last.resources).toBeGreaterThanOrEqual(100);
    expect(result.last.summary).toEqual(result.last.expected);
    expect(result.last.expected.update).toBeGreaterThan(0);
    expect(result.last.expected.create).toBeGreaterThan(0);
    expect(result.last.expected.delete).toBeGreaterThan(0);
    expect(computeProblems(result)).toEqual([]);
    expect(result.maxRssMb).toBeGreaterThan(0);
    expect(computeMeasurements(result, options).map((m) => m.id)).toEqual(['compute.ms', 'compute.cpuMs', 'compute.peakRssMb']);
  });

  it('start-up: --version, validate of a generated file and a one-stack plan succeed', async () => {
    const options = { resources: 12, runs: 1, workDir };
    const result = await benchStartup(options);
    expect(result.validateOutput).toMatch(/^ok/);
    expect(result.planMs).toBeGreaterThan(result.nodeMs);
    expect(startupMeasurements(result, options).map((m) => m.id)).toContain('startup.planRatio');
  });

  it('emulator throughput: answers every request it is sent', async () => {
    const result = await benchThroughput({ stacks: 5, concurrency: 2, maxRequests: 40, maxMs: 20_000, workDir });
    expect(result).toMatchObject({ requests: 40, failed: 0 });
  });

  it('the command line: --help, and one line for a bad flag', async () => {
    const run = builtScript('bench/run.js');
    const help = await runNode([run, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--only LIST');
    const bad = await runNode([run, '--only', 'nothing']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('bench: --only: unknown scenario nothing (scenarios: plan, apply, compute, startup, emulator)\n');
  });
});
