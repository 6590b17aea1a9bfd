// The benchmark harness at a tiny scale, so that `npm run bench` cannot rot between runs.
// It asserts what the harness builds and counts, never how fast anything is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configYaml, generateAccount, PLAN_ACCOUNT, scaledDown, stacksOnlyConfig, TARGET_ACCOUNT, withStacksCreated, type AccountShape } from '../../bench/account.js';
import { largestPage } from '../../bench/lower-bound.js';
import { runNode, builtScript } from '../../bench/processes.js';
import { machineInfo, passes, renderJson, renderTable, type Measurement } from '../../bench/report.js';
import { applyMeasurements, benchApply } from '../../bench/scenarios/apply.js';
import { benchCompute, computeMeasurements, computeProblems } from '../../bench/scenarios/compute.js';
import { benchPlan, planMeasurements } from '../../bench/scenarios/plan.js';
import { benchStartup, startupMeasurements } from '../../bench/scenarios/startup.js';
import { benchTargets, targetsMeasurements } from '../../bench/scenarios/targets.js';
import { benchThroughput } from '../../bench/scenarios/throughput.js';
import { benchUsers, usersMeasurements } from '../../bench/scenarios/users.js';
import { facts } from '../../src/emulator/shapes.js';
import { median } from '../../bench/stats.js';

const TINY: AccountShape = { stacks: 4, fleets: 2, images: 4, streamingImages: 3, studios: 2, sharedImageEvery: 2, users: 0, seed: 7 };
const TINY_POOL: AccountShape = { stacks: 3, fleets: 0, images: 0, streamingImages: 0, studios: 1, sharedImageEvery: 1, users: 6, seed: 7 };
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

  it('spreads the stacks over the fleets, one fleet each, and associates them once the stacks exist', () => {
    const account = generateAccount(TINY);
    expect(account.config.fleets!.map((fleet) => fleet.Name)).toEqual(account.inventory.fleets);
    expect(account.config.stacks!.map((stack) => stack.Fleets)).toEqual([[account.inventory.fleets[0]], [account.inventory.fleets[1]], [account.inventory.fleets[0]], [account.inventory.fleets[1]]]);
    expect(account.initialState.appstream.fleets.map((fleet) => fleet.AssociatedStacks)).toEqual([undefined, undefined]);
    const created = withStacksCreated(account);
    expect(created.appstream.stacks.some((stack) => 'Fleets' in stack)).toBe(false);
    expect(created.appstream.fleets.map((fleet) => fleet.AssociatedStacks)).toEqual(
      account.inventory.fleets.map((fleet) => account.inventory.associations.filter((a) => a.fleet === fleet).map((a) => a.stack)),
    );
  });

  it('puts every user of the pool on the first stack and on one other, the users already in the pool', () => {
    const account = generateAccount(TINY_POOL);
    const [first, ...others] = account.config.stacks!.map((stack) => stack.Name);
    const users = account.config.users!;
    expect(users).toHaveLength(6);
    for (const user of users) {
      expect(user.Stacks).toHaveLength(2);
      expect(user.Stacks![0]).toBe(first);
      expect(others).toContain(user.Stacks![1]);
    }
    expect(account.initialState.appstream.users!.map((user) => user.UserName)).toEqual(users.map((user) => user.UserName));
  });

  it('differs with the seed and survives a YAML round trip', () => {
    const other = generateAccount({ ...TINY, seed: 8 });
    expect(other.config).not.toEqual(generateAccount(TINY).config);
    expect(parse(configYaml(other.config))).toEqual(other.config);
    const stacksOnly = stacksOnlyConfig(5, 1);
    expect(stacksOnly.stacks).toHaveLength(5);
    expect(stacksOnly.images).toBeUndefined();
  });

  it('the targets account is the mix of the plan account at 300 resources, and --quick scales both down', () => {
    const count = (shape: AccountShape) => shape.stacks + shape.fleets + shape.images + shape.streamingImages;
    expect(count(TARGET_ACCOUNT)).toBe(300);
    expect(TARGET_ACCOUNT.stacks / TARGET_ACCOUNT.fleets).toBe(PLAN_ACCOUNT.stacks / PLAN_ACCOUNT.fleets);
    expect(scaledDown(PLAN_ACCOUNT, 10)).toMatchObject({ stacks: 50, fleets: 13, images: 50, streamingImages: 50 });
    expect(scaledDown(TARGET_ACCOUNT, 10)).toMatchObject({ stacks: 9, fleets: 3, images: 9, streamingImages: 9 });
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

  it('the largest page is the model maximum of the page-size member, a 32-bit integer where it has none', () => {
    const { shapes, operations } = facts.appstream;
    const max = (operation: string) => shapes[shapes[operations[operation].input!].members!.MaxResults.shape].max;
    expect(largestPage(facts.appstream, 'DescribeUserStackAssociations', 'MaxResults')).toBe(max('DescribeUserStackAssociations'));
    expect(largestPage(facts.appstream, 'DescribeImages', 'MaxResults')).toBe(max('DescribeImages'));
    expect(max('DescribeUsers')).toBeUndefined();
    expect(largestPage(facts.appstream, 'DescribeUsers', 'MaxResults')).toBe(2 ** 31 - 1);
  });
});

describe('scenarios at a tiny scale', () => {
  it('plan: seeds the account, then measures streamform, the baseline and the fallback on the same account', async () => {
    const options = { shape: TINY, runs: 2, latencyMs: 0, workDir };
    const result = await benchPlan(options);
    expect(result.problems).toEqual([]);
    expect(result.seed.calls).toBeGreaterThan(TINY.stacks);
    // Per stack, image and fleet two calls, per streaming image and fleet-stack association one, every run.
    const baselineCalls = 2 * (TINY.stacks + TINY.images + TINY.fleets) + TINY.streamingImages + TINY.stacks;
    expect(result.bulk.baseline.calls).toEqual([baselineCalls, baselineCalls]);
    expect(result.bulk.streamform.calls).toHaveLength(2);
    expect(result.bulk.streamform.peakRssMb).toHaveLength(2);
    expect(result.fallback.streamform.ms).toHaveLength(2);
    // One page of each listing, the shared images' permissions, the associations from the side with fewer reads
    // (two fleets against four stacks), one listing per studio.
    const shared = TINY.images / TINY.sharedImageEvery;
    expect(result.bulk.bound.parts.map((p) => [p.what.split(' ')[0], p.calls])).toEqual([
      ['DescribeStacks', 1],
      ['DescribeFleets', 1],
      ['GetResources', 1],
      // What this project owns of the kinds the config does not declare, by its owner tag.
      ['GetResources', 1],
      ['DescribeImages', 1],
      ['DescribeImagePermissions', shared],
      ['ListAssociatedStacks', TINY.fleets],
      ['ListStreamingImages', TINY.studios],
    ]);
    const bulkTotal = 5 + shared + TINY.fleets + TINY.studios;
    expect(result.bulk.bound.total).toBe(bulkTotal);
    // The bulk read's page becomes a refused attempt and one ListTagsForResource per stack, image and fleet;
    // the owner-filtered read is not tried once GetResources is refused.
    expect(result.fallback.bound.total).toBe(bulkTotal - 1 + TINY.stacks + TINY.images + TINY.fleets);
    const rows = planMeasurements(result, options);
    expect(rows.filter((row) => row.target).map((row) => row.id)).toEqual(['plan.msRatio', 'plan.calls', 'plan.callsRatio', 'plan.fallbackCalls', 'plan.fallbackCallsRatio']);
    expect(rows.find((row) => row.id === 'plan.baselineCalls')?.value).toBe(baselineCalls);
    expect(rows.find((row) => row.id === 'plan.peakRssMb')?.value).toBeGreaterThan(0);
  });

  it('targets: one apply seeds the emulator of every target, then all are planned at once and each alone, against the sum of their bounds', async () => {
    const options = { shape: TINY, targets: 3, runs: 1, latencyMs: 0, workDir };
    const result = await benchTargets(options);
    expect(result.problems).toEqual([]);
    expect(result.names).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    // Every target creates its own stacks.
    expect(result.seed.calls).toBeGreaterThan(3 * TINY.stacks);
    expect(result.bounds).toHaveLength(3);
    expect(new Set(result.bounds.map((bound) => bound.total)).size).toBe(1);
    const bound = 3 * result.bounds[0].total;
    // Planned alone, a target costs at least its bound and no other emulator is asked anything; all
    // together they cost what each costs alone.
    const alone = result.single.map((side) => side.calls[0]);
    for (const calls of alone) expect(calls).toBeGreaterThanOrEqual(result.bounds[0].total);
    expect(result.all.calls).toEqual([alone.reduce((a, b) => a + b, 0)]);
    const rows = targetsMeasurements(result, options);
    expect(rows.filter((row) => row.target).map((row) => [row.id, row.target!.bound])).toEqual([
      ['targets.msRatio', 1.3],
      ['targets.calls', bound],
    ]);
    expect(rows.find((row) => row.id === 'targets.calls')?.value).toBe(result.all.calls[0]);
    // Three targets fit one round of TARGET_CONCURRENCY.
    expect(rows.find((row) => row.id === 'targets.msRatio')?.note).toBeUndefined();
  });

  it('user pool: seeds the assignments, then plans at rest, at the bound while the pool fits a page', async () => {
    const options = { shape: TINY_POOL, runs: 1, latencyMs: 0, workDir };
    const result = await benchUsers(options);
    expect(result.problems).toEqual([]);
    expect(result.bound.parts.map((p) => [p.what.split(' ')[0], p.calls])).toEqual([
      ['DescribeStacks', 1],
      ['GetResources', 1],
      ['GetResources', 1],
      ['DescribeUsers', 1],
      ['DescribeUserStackAssociations', TINY_POOL.stacks],
    ]);
    expect(result.streamform.calls).toEqual([result.bound.total]);
    expect(result.streamform.peakRssMb[0]).toBeGreaterThan(0);
    expect(usersMeasurements(result, options).map((m) => [m.id, passes(m)])).toEqual([
      ['users.ms', undefined],
      ['users.peakRssMb', undefined],
      ['users.calls', true],
      ['users.lowerBound', undefined],
      ['users.seedMs', undefined],
    ]);
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
    expect(bad.stderr).toBe('bench: --only: unknown scenario nothing (scenarios: plan, targets, users, apply, compute, startup, emulator)\n');
  });
});
