import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAccount, withStacksCreated } from '../account.js';
import { startEmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';

export interface ThroughputBenchOptions {
  /** Stacks in the account, so each DescribeStacks answers a full page. */
  stacks: number;
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  workDir: string;
}

export interface ThroughputBenchResult {
  requests: number;
  failed: number;
  ms: number;
}

/**
 * Requests per second the emulator answers with no latency: DescribeStacks over keep-alive loopback
 * connections from a plain HTTP client, so the SDK's own cost does not hide the server's.
 */
export async function benchThroughput(options: ThroughputBenchOptions): Promise<ThroughputBenchResult> {
  const account = generateAccount({ stacks: options.stacks, fleets: 0, images: 0, streamingImages: 0, studios: 1, sharedImageEvery: 1, users: 0, seed: 4 });
  const statePath = join(options.workDir, 'throughput-state.json');
  writeFileSync(statePath, JSON.stringify(withStacksCreated(account)));
  const emulator = await startEmulatorProcess(['--state', statePath]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const target = new URL(emulator.url);
    let requests = 0;
    let failed = 0;
    const start = performance.now();
    const deadline = start + options.maxMs;
    const worker = async () => {
      while (requests < options.maxRequests && performance.now() < deadline) {
        requests++;
        if ((await describeStacks(agent, target)) !== 200) failed++;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return { requests, failed, ms: performance.now() - start };
  } finally {
    agent.destroy();
    await emulator.stop();
  }
}

function describeStacks(agent: http.Agent, target: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'PhotonAdminProxyService.DescribeStacks' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end('{}');
  });
}

/** The most the benchmarks ask of the emulator: the baseline's 10 calls in flight, each held 20 ms. */
const BASELINE_DEMAND = 10 / 0.02;

export function throughputMeasurements(result: ThroughputBenchResult, options: ThroughputBenchOptions): Measurement[] {
  const section = `Emulator throughput: DescribeStacks (${options.stacks} stacks), ${options.concurrency} in flight, no latency`;
  return [
    {
      section,
      id: 'emulator.requestsPerSecond', name: 'requests per second',
      value: (result.requests / result.ms) * 1000,
      unit: 'req/s',
      target: { op: '>=', bound: BASELINE_DEMAND },
      note: `${result.requests} requests in ${Math.round(result.ms)} ms, ${result.failed} failed; the target is the peak rate the baseline asks for (10 in flight / 20 ms)`,
    },
  ];
}

export const throughputScenario: Scenario = {
  name: 'emulator',
  async run(context) {
    const options: ThroughputBenchOptions = { stacks: 100, concurrency: 4, maxRequests: 20_000, maxMs: context.quick ? 500 : 3000, workDir: context.workDir };
    const result = await benchThroughput(options);
    if (result.failed) context.problems.push(`emulator throughput: ${result.failed} of ${result.requests} requests failed`);
    return throughputMeasurements(result, options);
  },
};
