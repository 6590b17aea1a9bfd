import { createClients, destroyClients } from '../../src/aws/clients.js';
import { generateAccount, PLAN_ACCOUNT, scaledDown, type AccountShape } from '../account.js';
import { refreshPerResource } from '../baseline.js';
import { boundNote, measureLowerBounds, type LowerBound } from '../lower-bound.js';
import { startEmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { emptySide, measure, planAtRest, seedAccount, type SideResult } from '../seeded.js';
import { median } from '../stats.js';

export interface PlanBenchOptions {
  shape: AccountShape;
  runs: number;
  latencyMs: number;
  workDir: string;
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
  const { configPath, statePath, seed } = await seedAccount(account, workDir, 'plan-account');

  const latency = ['--latency-ms', String(latencyMs)];
  const [bulkEmulator, deniedEmulator] = await Promise.all([
    startEmulatorProcess(['--state', statePath, ...latency]),
    startEmulatorProcess(['--state', statePath, ...latency, '--deny-tagging']),
  ]);
  const problems: string[] = [];
  const clients = createClients({ endpoint: bulkEmulator.url });
  try {
    const bounds = await measureLowerBounds(clients, account.config);
    const streamform = emptySide();
    const baseline = emptySide();
    const fallback = emptySide();
    for (let run = 0; run < runs; run++) {
      await planAtRest(bulkEmulator, configPath, streamform, 'streamform', problems);
      await measure([bulkEmulator], baseline, 'baseline', problems, async () => {
        const start = performance.now();
        await refreshPerResource(clients, account.inventory);
        return { ms: performance.now() - start };
      });
      await planAtRest(deniedEmulator, configPath, fallback, 'fallback', problems, true);
    }
    return { seed, bulk: { streamform, baseline, bound: bounds.bulk }, fallback: { streamform: fallback, bound: bounds.fallback }, problems };
  } finally {
    destroyClients(clients);
    await Promise.all([bulkEmulator.stop(), deniedEmulator.stop()]);
  }
}

/** The plan section of the table, targets from the issue. */
export function planMeasurements(result: PlanBenchResult, options: PlanBenchOptions): Measurement[] {
  const { shape, runs, latencyMs } = options;
  const section = `Plan at scale: ${shape.stacks} stacks, ${shape.fleets} fleets (one per ${Math.round(shape.stacks / shape.fleets)} stacks), ${shape.images} images, ${shape.streamingImages} streaming images in ${shape.studios} studios, all unchanged; ${latencyMs} ms latency; median of ${runs}`;
  const { bulk, fallback } = result;
  const planMs = median(bulk.streamform.ms);
  const baselineMs = median(bulk.baseline.ms);
  const planCalls = Math.max(...bulk.streamform.calls);
  const baselineCalls = Math.max(...bulk.baseline.calls);
  const fallbackCalls = Math.max(...fallback.streamform.calls);
  return [
    { section, id: 'plan.ms', name: 'streamform plan: wall time', value: planMs, unit: 'ms' },
    { section, id: 'plan.peakRssMb', name: 'streamform plan: peak RSS', value: Math.max(...bulk.streamform.peakRssMb), unit: 'MB' },
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
      note: `${result.seed.calls} calls to create ${shape.stacks} stacks, associate them and adopt ${shape.fleets} fleets and ${shape.images + shape.streamingImages} images`,
    },
  ];
}

export const planScenario: Scenario = {
  name: 'plan',
  async run(context) {
    const shape = context.quick ? scaledDown(PLAN_ACCOUNT, 10) : PLAN_ACCOUNT;
    const options: PlanBenchOptions = { shape, runs: context.runs, latencyMs: context.latencyMs, workDir: context.workDir };
    const result = await benchPlan(options);
    context.problems.push(...result.problems);
    return planMeasurements(result, options);
  },
};
