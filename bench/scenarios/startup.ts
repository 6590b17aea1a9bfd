import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml, generateAccount } from '../account.js';
import { cliScript, runNode, startEmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { median } from '../stats.js';

export interface StartupBenchOptions {
  /** Resources in the file given to `validate`. */
  resources: number;
  runs: number;
  workDir: string;
}

export interface StartupBenchResult {
  nodeMs: number;
  versionMs: number;
  validateMs: number;
  validateOutput: string;
  /** `streamform plan` of a one-stack config against an emulator in its own process: the fixed cost of a plan. */
  planMs: number;
}

const ONE_STACK = 'version: 1\nproject: startup\nstacks:\n  - Name: design\n';

/**
 * Bare `node -e 0`, `streamform --version`, `streamform validate` and a one-stack `streamform plan`,
 * interleaved so drift in load hits all of them alike.
 */
export async function benchStartup(options: StartupBenchOptions): Promise<StartupBenchResult> {
  const { resources, runs, workDir } = options;
  const third = Math.floor(resources / 3);
  const { config } = generateAccount({ stacks: resources - 2 * third, fleets: 0, images: third, streamingImages: third, studios: 3, sharedImageEvery: 10, users: 0, seed: 3 });
  const configPath = join(workDir, `validate-${resources}.yaml`);
  writeFileSync(configPath, configYaml(config));

  const oneStackPath = join(workDir, 'one-stack.yaml');
  writeFileSync(oneStackPath, ONE_STACK);
  const emulator = await startEmulatorProcess([]);

  const cli = cliScript();
  const samples = { node: [] as number[], version: [] as number[], validate: [] as number[], plan: [] as number[] };
  let validateOutput = '';
  try {
    for (let run = 0; run < runs; run++) {
      samples.node.push((await runNode(['-e', '0'])).ms);
      const version = await runNode([cli, '--version']);
      if (version.code !== 0) throw new Error(`streamform --version exited with ${version.code}: ${version.stderr.trim()}`);
      samples.version.push(version.ms);
      const validate = await runNode([cli, 'validate', '-f', configPath]);
      if (validate.code !== 0) throw new Error(`streamform validate of ${resources} resources exited with ${validate.code}: ${(validate.stderr || validate.stdout).trim().split('\n')[0]}`);
      samples.validate.push(validate.ms);
      validateOutput = validate.stdout.trim();
      const plan = await runNode([cli, 'plan', '-f', oneStackPath, '--endpoint', emulator.url, '--region', 'us-east-1', '--format', 'json']);
      if (plan.code !== 0) throw new Error(`streamform plan of one stack exited with ${plan.code}: ${plan.stderr.trim().split('\n')[0]}`);
      samples.plan.push(plan.ms);
    }
  } finally {
    await emulator.stop();
  }
  return { nodeMs: median(samples.node), versionMs: median(samples.version), validateMs: median(samples.validate), validateOutput, planMs: median(samples.plan) };
}

export function startupMeasurements(result: StartupBenchResult, options: StartupBenchOptions): Measurement[] {
  const section = `Start-up: median of ${options.runs} runs each`;
  return [
    { section, id: 'startup.nodeMs', name: 'node -e 0', value: result.nodeMs, unit: 'ms' },
    { section, id: 'startup.versionMs', name: 'streamform --version', value: result.versionMs, unit: 'ms' },
    { section, id: 'startup.versionRatio', name: '--version / bare node', value: result.versionMs / result.nodeMs, unit: 'x', target: { op: '<=', bound: 2 } },
    { section, id: 'startup.validateMs', name: `streamform validate (${options.resources} resources)`, value: result.validateMs, unit: 'ms', target: { op: '<', bound: 500 } },
    { section, id: 'startup.validateRatio', name: 'validate / bare node', value: result.validateMs / result.nodeMs, unit: 'x' },
    { section, id: 'startup.planMs', name: 'streamform plan (1 stack, emulator)', value: result.planMs, unit: 'ms' },
    { section, id: 'startup.planRatio', name: 'plan / bare node', value: result.planMs / result.nodeMs, unit: 'x' },
  ];
}

export const startupScenario: Scenario = {
  name: 'startup',
  async run(context) {
    const options: StartupBenchOptions = { resources: 1000, runs: Math.max(context.runs, 5), workDir: context.workDir };
    return startupMeasurements(await benchStartup(options), options);
  },
};
