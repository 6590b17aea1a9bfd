import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClients, destroyClients } from '../../src/aws/clients.js';
import { configYaml, generateAccount, PLAN_ACCOUNT, type AccountShape } from '../account.js';
import { refreshPerResource } from '../baseline.js';
import { measureLowerBound, type LowerBound } from '../lower-bound.js';
import { runCli, startEmulatorProcess, type EmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

export interface PlanBenchOptions {
  shape: AccountShape;
  runs: number;
  latencyMs: number;
  workDir: string;
}

/** What one side (streamform or the baseline) cost on one path, over all runs. */
export interface SideResult {
  ms: number[];
  calls: number[];
}

export interface PlanBenchResult {
  seed: { ms: number; calls: number };
  bulk: { streamform: SideResult; baseline: SideResult; bound: LowerBound };
  fallback: { streamform: SideResult; bound: LowerBound };
  /** Anything that makes the numbers less than they claim (an account not at rest, failed calls). */
  problems: string[];
}

/**
 * Seeds the account by applying its config once, then, against one emulator with `latencyMs` and
 * another that also denies GetResources, alternates `streamform plan` with the per-resource baseline.
 */
export async function benchPlan(options: PlanBenchOptions): Promise<PlanBenchResult> {
  const { shape, runs, latencyMs, workDir } = options;
  const account = generateAccount(shape);
  const configPath = join(workDir, 'plan-account.yaml');
  writeFileSync(configPath, configYaml(account.config));
  const initialPath = join(workDir, 'plan-account-initial.json');
  writeFileSync(initialPath, JSON.stringify(account.initialState));

  const seedEmulator = await startEmulatorProcess(['--state', initialPath]);
  const seededPath = join(workDir, 'plan-account-seeded.json');
  let seed: PlanBenchResult['seed'];
  try {
    const applied = await runCli(['apply', '-f', configPath, '--endpoint', seedEmulator.url, '--yes']);
    if (applied.code !== 0) throw new Error(`seeding apply exited with ${applied.code}: ${firstLine(applied.stderr || applied.stdout)}`);
    seed = { ms: applied.ms, calls: (await seedEmulator.calls()).length };
    writeFileSync(seededPath, JSON.stringify(await seedEmulator.state()));
  } finally {
    await seedEmulator.stop();
  }

  const latency = ['--latency-ms', String(latencyMs)];
  const [bulkEmulator, deniedEmulator] = await Promise.all([
    startEmulatorProcess(['--state', seededPath, ...latency]),
    startEmulatorProcess(['--state', seededPath, ...latency, '--deny-tagging']),
  ]);
  const problems: string[] = [];
  const bulkClients = createClients({ endpoint: bulkEmulator.url });
  const deniedClients = createClients({ endpoint: deniedEmulator.url });
  try {
    const bound = await measureLowerBound(bulkClients, account.config, true);
    const fallbackBound = await measureLowerBound(deniedClients, account.config, false);
    const streamform: SideResult = { ms: [], calls: [] };
    const baseline: SideResult = { ms: [], calls: [] };
    const fallback: SideResult = { ms: [], calls: [] };
    const plan = (emulator: EmulatorProcess, side: SideResult, label: string) =>
      measure(emulator, side, label, problems, async () => {
        const result = await runCli(['plan', '-f', configPath, '--endpoint', emulator.url, '--detailed-exitcode']);
        if (result.code === 1) throw new Error(`${label} plan exited with 1: ${firstLine(result.stderr)}`);
        if (result.code === 2) note(problems, `${label} plan found changes in the seeded account (exit 2), so it was not at rest`);
        const notices = result.stderr.split('\n').filter((line) => line.includes('GetResources')).length;
        if (notices !== (label === 'fallback' ? 1 : 0)) note(problems, `${label} plan said ${notices} times that GetResources is denied`);
        return result.ms;
      });
    for (let run = 0; run < runs; run++) {
      await plan(bulkEmulator, streamform, 'streamform');
      await measure(bulkEmulator, baseline, 'baseline', problems, async () => {
        const start = performance.now();
        await refreshPerResource(bulkClients, account.inventory);
        return performance.now() - start;
      });
      await plan(deniedEmulator, fallback, 'fallback');
    }
    return { seed, bulk: { streamform, baseline, bound }, fallback: { streamform: fallback, bound: fallbackBound }, problems };
  } finally {
    for (const clients of [bulkClients, deniedClients]) destroyClients(clients);
    await Promise.all([bulkEmulator.stop(), deniedEmulator.stop()]);
  }
}

/** Runs one measured side against a cleared call log and records its wall time and calls; a failed call is a problem. */
async function measure(emulator: EmulatorProcess, side: SideResult, label: string, problems: string[], run: () => Promise<number>): Promise<void> {
  await emulator.clearCalls();
  side.ms.push(await run());
  const calls = await emulator.calls();
  side.calls.push(calls.length);
  const failed = calls.filter((call) => call.status >= 300 && !(label === 'fallback' && call.operation === 'GetResources'));
  if (failed.length) note(problems, `${label}: ${failed.length} calls failed (first: ${failed[0].operation} ${failed[0].status})`);
}

function note(problems: string[], problem: string) {
  if (!problems.includes(problem)) problems.push(problem);
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** The plan section of the table, targets from the issue. */
export function planMeasurements(result: PlanBenchResult, options: PlanBenchOptions): Measurement[] {
  const { shape, runs, latencyMs } = options;
  const section = `Plan at scale: ${shape.stacks} stacks, ${shape.images} images, ${shape.streamingImages} streaming images in ${shape.studios} studios, all unchanged; ${latencyMs} ms latency; median of ${runs}`;
  const { bulk, fallback } = result;
  const planMs = median(bulk.streamform.ms);
  const baselineMs = median(bulk.baseline.ms);
  const planCalls = Math.max(...bulk.streamform.calls);
  const baselineCalls = Math.max(...bulk.baseline.calls);
  const fallbackCalls = Math.max(...fallback.streamform.calls);
  const boundNote = (bound: LowerBound) => bound.parts.map((part) => `${part.calls} ${part.what}`).join(' + ');
  return [
    { section, id: 'plan.ms', name: 'streamform plan: wall time', value: planMs, unit: 'ms' },
    { section, id: 'plan.baselineMs', name: 'baseline (per-resource, 10 in flight): wall time', value: baselineMs, unit: 'ms' },
    { section, id: 'plan.msRatio', name: 'wall time streamform/baseline', value: planMs / baselineMs, unit: 'x', target: { op: '<=', bound: 0.25 } },
    { section, id: 'plan.calls', name: 'streamform plan: API calls', value: planCalls, unit: 'calls', target: { op: '==', bound: bulk.bound.total } },
    { section, id: 'plan.lowerBound', name: 'lower bound of calls', value: bulk.bound.total, unit: 'calls', note: boundNote(bulk.bound) },
    { section, id: 'plan.baselineCalls', name: 'baseline: API calls', value: baselineCalls, unit: 'calls' },
    { section, id: 'plan.callsRatio', name: 'calls streamform/baseline', value: planCalls / baselineCalls, unit: 'x', target: { op: '<=', bound: 0.1 } },
    { section, id: 'plan.fallbackMs', name: 'fallback (GetResources denied): wall time', value: median(fallback.streamform.ms), unit: 'ms' },
    { section, id: 'plan.fallbackCalls', name: 'fallback: API calls', value: fallbackCalls, unit: 'calls', target: { op: '==', bound: fallback.bound.total } },
    { section, id: 'plan.fallbackLowerBound', name: 'fallback: lower bound of calls', value: fallback.bound.total, unit: 'calls', note: boundNote(fallback.bound) },
    { section, id: 'plan.fallbackCallsRatio', name: 'fallback calls/baseline calls', value: fallbackCalls / baselineCalls, unit: 'x', target: { op: '<=', bound: 0.55 } },
    {
      section,
      id: 'plan.seedMs', name: 'seeding: one apply of the whole account, no latency',
      value: result.seed.ms,
      unit: 'ms',
      note: `${result.seed.calls} calls to create ${shape.stacks} stacks and adopt ${shape.images + shape.streamingImages} images`,
    },
  ];
}

export const planScenario: Scenario = {
  name: 'plan',
  async run(context) {
    const scale = context.quick ? 10 : 1;
    const shape = { ...PLAN_ACCOUNT, stacks: PLAN_ACCOUNT.stacks / scale, images: PLAN_ACCOUNT.images / scale, streamingImages: PLAN_ACCOUNT.streamingImages / scale };
    const options: PlanBenchOptions = { shape, runs: context.runs, latencyMs: 20, workDir: context.workDir };
    const result = await benchPlan(options);
    context.problems.push(...result.problems);
    return planMeasurements(result, options);
  },
};
