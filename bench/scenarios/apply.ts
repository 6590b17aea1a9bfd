import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml, stacksOnlyConfig } from '../account.js';
import { runCli, startEmulatorProcess, type CallRecord } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';

export interface ApplyBenchOptions {
  stacks: number;
  rateLimit: number;
  latencyMs: number;
  workDir: string;
}

export interface ApplyBenchResult {
  ms: number;
  exitCode: number;
  /** Calls answered with success: those the rate limit let through. */
  acceptedCalls: number;
  throttled: number;
  otherErrors: number;
  /** Declared stacks missing from the account after the apply. */
  failedResources: number;
  stderr: string;
}

/** `streamform apply --yes` of a config of new stacks against an emulator with a token-bucket rate limit. */
export async function benchApply(options: ApplyBenchOptions): Promise<ApplyBenchResult> {
  const config = stacksOnlyConfig(options.stacks, 2);
  const configPath = join(options.workDir, 'apply-stacks.yaml');
  writeFileSync(configPath, configYaml(config));
  const emulator = await startEmulatorProcess(['--rate-limit', String(options.rateLimit), '--latency-ms', String(options.latencyMs)]);
  try {
    const result = await runCli(['apply', '-f', configPath, '--endpoint', emulator.url, '--yes']);
    const calls = await emulator.calls();
    const state = (await emulator.state()) as { appstream?: { stacks?: { Name: string }[] } };
    const live = new Set((state.appstream?.stacks ?? []).map((stack) => stack.Name));
    const throttled = calls.filter(isThrottling).length;
    return {
      ms: result.ms,
      exitCode: result.code,
      acceptedCalls: calls.filter((call) => call.status < 300).length,
      throttled,
      otherErrors: calls.filter((call) => call.status >= 300).length - throttled,
      failedResources: (config.stacks ?? []).filter((stack) => !live.has(stack.Name)).length,
      stderr: result.stderr,
    };
  } finally {
    await emulator.stop();
  }
}

/** The emulator's throttling errors: AppStream's and Nimble's, and the tagging API's. */
const THROTTLING_ERRORS = new Set(['ThrottlingException', 'ThrottledException']);

function isThrottling(call: CallRecord): boolean {
  return call.error !== undefined && THROTTLING_ERRORS.has(call.error);
}

export function applyMeasurements(result: ApplyBenchResult, options: ApplyBenchOptions): Measurement[] {
  const section = `Apply under a rate limit: create ${options.stacks} stacks, --rate-limit ${options.rateLimit} --latency-ms ${options.latencyMs}`;
  const floorMs = (result.acceptedCalls / options.rateLimit) * 1000;
  return [
    { section, id: 'apply.ms', name: 'streamform apply: wall time', value: result.ms, unit: 'ms' },
    {
      section,
      id: 'apply.floorMs', name: `floor: ${result.acceptedCalls} calls / ${options.rateLimit} per second`,
      value: floorMs,
      unit: 'ms',
      note: `the emulator's bucket starts full (a burst of ${options.rateLimit} calls), so an apply can finish up to 1 s under this floor`,
    },
    { section, id: 'apply.ratioToFloor', name: 'wall time / floor', value: result.ms / floorMs, unit: 'x', target: { op: '<=', bound: 1.2 } },
    { section, id: 'apply.throttled', name: 'throttling errors answered', value: result.throttled, unit: 'count' },
    ...(result.otherErrors ? [{ section, id: 'apply.otherErrors', name: 'other errors answered', value: result.otherErrors, unit: 'count' as const }] : []),
    {
      section,
      id: 'apply.failedResources', name: 'failed resources',
      value: result.failedResources,
      unit: 'count',
      target: { op: '==', bound: 0 },
      ...(result.exitCode !== 0 ? { note: `apply exited with ${result.exitCode}: ${result.stderr.trim().split('\n')[0]}` } : {}),
    },
  ];
}

export const applyScenario: Scenario = {
  name: 'apply',
  async run(context) {
    const options: ApplyBenchOptions = { stacks: context.quick ? 20 : 200, rateLimit: 20, latencyMs: context.latencyMs, workDir: context.workDir };
    const result = await benchApply(options);
    if (result.otherErrors) context.problems.push(`apply: the emulator answered ${result.otherErrors} errors other than throttling`);
    return applyMeasurements(result, options);
  },
};
