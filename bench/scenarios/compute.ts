import { join } from 'node:path';
import type { PlanSummary } from '../../src/core/plan.js';
import { builtScript, runNode } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

export interface ComputeBenchOptions {
  resources: number;
  runs: number;
  workDir: string;
}

/** What one `compute-worker plan` process reports. */
export interface ComputeSample {
  resources: number;
  ms: number;
  /** CPU time of every thread (the garbage collector's helpers too) while buildPlan ran. */
  cpuMs: number;
  maxRssKb: number;
  changes: number;
  calls: number;
  summary: PlanSummary;
  /** The summary the synthetic changes call for. */
  expected: PlanSummary;
  /** Error diagnostics in the plan (none expected). */
  errors: number;
}

export interface ComputeBenchResult {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  last: ComputeSample;
}

/** Each run is a fresh process, as each `streamform plan` is: a cold JIT and a peak RSS of its own. */
export async function benchCompute(options: ComputeBenchOptions): Promise<ComputeBenchResult> {
  const worker = builtScript('bench/compute-worker.js');
  const input = join(options.workDir, `compute-${options.resources}.json`);
  const check = (result: { code: number; stderr: string }, step: string) => {
    if (result.code !== 0) throw new Error(`compute worker (${step}) exited with ${result.code}: ${result.stderr.trim().split('\n')[0]}`);
  };
  check(await runNode([worker, 'prepare', String(options.resources), input]), 'prepare');
  const samples: ComputeSample[] = [];
  for (let run = 0; run < options.runs; run++) {
    const result = await runNode([worker, 'plan', input]);
    check(result, 'plan');
    samples.push(JSON.parse(result.stdout) as ComputeSample);
  }
  return {
    ms: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssKb)) / 1024,
    last: samples[samples.length - 1],
  };
}

const summaryText = (s: PlanSummary) => `${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete`;

export function computeMeasurements(result: ComputeBenchResult, options: ComputeBenchOptions): Measurement[] {
  const { last } = result;
  const section = `Compute: normalize + diff + plan of ${last.resources.toLocaleString('en-US')} synthetic resources in-process, no network; median of ${options.runs}`;
  return [
    {
      section,
      id: 'compute.ms', name: 'buildPlan wall time',
      value: result.ms,
      unit: 'ms',
      target: { op: '<', bound: 1000 },
      note: `the plan: ${summaryText(last.summary)}, ${last.calls} calls`,
    },
    {
      section,
      id: 'compute.cpuMs', name: 'buildPlan CPU time (all threads)',
      value: result.cpuMs,
      unit: 'ms',
      note: 'above the wall time when the garbage collector works on a second core; a busy machine takes that core away and the wall time rises toward it',
    },
    { section, id: 'compute.peakRssMb', name: 'peak RSS of the process', value: result.maxRssMb, unit: 'MB', target: { op: '<', bound: 250 } },
  ];
}

/** A plan that does not match the synthetic changes means the numbers measure the wrong work. */
export function computeProblems(result: ComputeBenchResult): string[] {
  const { summary, expected, errors } = result.last;
  return [
    ...(summaryText(summary) !== summaryText(expected) ? [`compute: the plan has ${summaryText(summary)}; the synthetic changes call for ${summaryText(expected)}`] : []),
    ...(errors ? [`compute: the plan has ${errors} error diagnostics`] : []),
  ];
}

export const computeScenario: Scenario = {
  name: 'compute',
  async run(context) {
    const options: ComputeBenchOptions = { resources: context.quick ? 1000 : 10_000, runs: context.runs, workDir: context.workDir };
    const result = await benchCompute(options);
    context.problems.push(...computeProblems(result));
    return computeMeasurements(result, options);
  },
};
