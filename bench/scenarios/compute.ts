import { builtScript, runNode } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

export interface ComputeBenchOptions {
  resources: number;
  runs: number;
}

/** What one worker process reports (see compute-worker.ts). */
export interface ComputeSample {
  resources: number;
  ms: number;
  maxRssKb: number;
  changes: number;
  calls: number;
}

export interface ComputeBenchResult {
  ms: number;
  maxRssMb: number;
  last: ComputeSample;
}

/** Each run is a fresh process, as each `streamform plan` is: a cold JIT and a peak RSS of its own. */
export async function benchCompute(options: ComputeBenchOptions): Promise<ComputeBenchResult> {
  const worker = builtScript('bench/compute-worker.js');
  const samples: ComputeSample[] = [];
  for (let run = 0; run < options.runs; run++) {
    const result = await runNode([worker, String(options.resources)]);
    if (result.code !== 0) throw new Error(`compute worker exited with ${result.code}: ${result.stderr.trim().split('\n')[0]}`);
    samples.push(JSON.parse(result.stdout) as ComputeSample);
  }
  return {
    ms: median(samples.map((s) => s.ms)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssKb)) / 1024,
    last: samples[samples.length - 1],
  };
}

export function computeMeasurements(result: ComputeBenchResult, options: ComputeBenchOptions): Measurement[] {
  const section = `Compute: normalize + diff + plan of ${options.resources.toLocaleString('en-US')} synthetic resources in-process, no network; median of ${options.runs}`;
  return [
    {
      section,
      name: 'buildPlan wall time',
      value: result.ms,
      unit: 'ms',
      target: { op: '<', bound: 1000 },
      note: `the plan holds ${result.last.changes} changes and ${result.last.calls} calls`,
    },
    { section, name: 'peak RSS of the process', value: result.maxRssMb, unit: 'MB', target: { op: '<', bound: 250 } },
  ];
}

export const computeScenario: Scenario = {
  name: 'compute',
  async run(context) {
    const options: ComputeBenchOptions = { resources: context.quick ? 1000 : 10_000, runs: context.runs };
    return computeMeasurements(await benchCompute(options), options);
  },
};
