import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClients, destroyClients } from '../../src/aws/clients.js';
import { TARGET_CONCURRENCY } from '../../src/commands/targets.js';
import type { Config } from '../../src/config/types.js';
import { configYaml, generateAccount, scaledDown, TARGET_ACCOUNT, type AccountShape } from '../account.js';
import { boundNote, measureLowerBounds, type LowerBound } from '../lower-bound.js';
import { startEmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { emptySide, planEmulatorsAtRest, seedStates, type SideResult } from '../seeded.js';
import { median } from '../stats.js';

/** One region per target, so that each emulator's ARNs and the plan's addresses differ as real targets' do. */
export const TARGET_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-northeast-1', 'ap-southeast-2', 'ca-central-1', 'sa-east-1'];

export interface TargetsBenchOptions {
  /** The account of every target. */
  shape: AccountShape;
  targets: number;
  runs: number;
  latencyMs: number;
  workDir: string;
}

export interface TargetsBenchResult {
  names: string[];
  seed: { ms: number; calls: number };
  /** `streamform plan` of every target; its calls are those of all the emulators. */
  all: SideResult;
  /** `streamform plan --target <name>` of each target alone. */
  single: SideResult[];
  bounds: LowerBound[];
  problems: string[];
}

/** The account's config with the targets instead of its region, each reached at its endpoint. */
function targetsConfig(config: Config, names: string[], endpoints: string[]): Config {
  const { region: _region, ...rest } = config;
  return { ...rest, targets: names.map((name, index) => ({ name, region: TARGET_REGIONS[index], endpoint: endpoints[index] })) };
}

/**
 * The same account in `targets` regions, each behind its own emulator process with `latencyMs`,
 * brought under management by one apply of the config of targets; then, alternately, one plan of
 * all the targets and one plan of each target alone.
 */
export async function benchTargets(options: TargetsBenchOptions): Promise<TargetsBenchResult> {
  const { shape, targets, runs, latencyMs, workDir } = options;
  if (targets > TARGET_REGIONS.length) throw new Error(`at most ${TARGET_REGIONS.length} targets, got ${targets}`);
  const account = generateAccount(shape);
  const names = TARGET_REGIONS.slice(0, targets);
  const writeConfig = (name: string, endpoints: string[]) => {
    const path = join(workDir, `${name}.yaml`);
    writeFileSync(path, configYaml(targetsConfig(account.config, names, endpoints)));
    return path;
  };
  const initialStates = names.map((region) => ({ ...account.initialState, region }));
  const { statePaths, seed } = await seedStates(initialStates, workDir, 'targets', (urls) => ['-f', writeConfig('targets-seed', urls)]);

  const emulators = await Promise.all(statePaths.map((statePath) => startEmulatorProcess(['--state', statePath, '--latency-ms', String(latencyMs)])));
  const configPath = writeConfig('targets', emulators.map((emulator) => emulator.url));
  const problems: string[] = [];
  try {
    const bounds: LowerBound[] = [];
    for (const [index, emulator] of emulators.entries()) {
      const clients = createClients({ endpoint: emulator.url, region: names[index] });
      try {
        bounds.push((await measureLowerBounds(clients, account.config)).bulk);
      } finally {
        destroyClients(clients);
      }
    }
    const all = emptySide();
    const single = names.map(emptySide);
    for (let run = 0; run < runs; run++) {
      await planEmulatorsAtRest(emulators, ['-f', configPath], all, 'targets', problems);
      // Every emulator's calls count, so a call to a target that was not chosen would show.
      for (const [index, name] of names.entries()) await planEmulatorsAtRest(emulators, ['-f', configPath, '--target', name], single[index], `target ${name}`, problems);
    }
    return { names, seed, all, single, bounds, problems };
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
  }
}

export function targetsMeasurements(result: TargetsBenchResult, options: TargetsBenchOptions): Measurement[] {
  const { shape, targets, runs, latencyMs } = options;
  const resources = shape.stacks + shape.fleets + shape.images + shape.streamingImages;
  const section = `Plan of ${targets} targets: each its own emulator process holding ${resources} resources (${shape.stacks} stacks, ${shape.fleets} fleets, ${shape.images} images, ${shape.streamingImages} streaming images), all unchanged; ${latencyMs} ms latency; median of ${runs}`;
  const allMs = median(result.all.ms);
  const singleMs = result.single.map((side) => median(side.ms));
  const slowest = singleMs.indexOf(Math.max(...singleMs));
  const bound = result.bounds.reduce((total, b) => total + b.total, 0);
  const rounds = Math.ceil(targets / TARGET_CONCURRENCY);
  return [
    { section, id: 'targets.ms', name: `streamform plan of ${targets} targets: wall time`, value: allMs, unit: 'ms' },
    { section, id: 'targets.peakRssMb', name: `streamform plan of ${targets} targets: peak RSS`, value: Math.max(...result.all.peakRssMb), unit: 'MB' },
    {
      section,
      id: 'targets.slowestSingleMs',
      name: 'slowest target planned alone (--target): wall time',
      value: singleMs[slowest],
      unit: 'ms',
      note: `target ${result.names[slowest]}; each alone: ${singleMs.map((ms) => Math.round(ms)).join(', ')} ms`,
    },
    {
      section,
      id: 'targets.msRatio',
      name: `wall time ${targets} targets/slowest target`,
      value: allMs / singleMs[slowest],
      unit: 'x',
      target: { op: '<=', bound: 1.3 },
      ...(rounds > 1 ? { note: `the plan reads at most ${TARGET_CONCURRENCY} targets at once (TARGET_CONCURRENCY), so ${targets} targets take ${rounds} rounds` } : {}),
    },
    { section, id: 'targets.calls', name: 'API calls, all emulators', value: Math.max(...result.all.calls), unit: 'calls', target: { op: '==', bound } },
    {
      section,
      id: 'targets.lowerBound',
      name: 'lower bound of calls: the sum of each target\'s',
      value: bound,
      unit: 'calls',
      note: `per target ${result.bounds.map((b) => b.total).join(' + ')}; ${result.names[0]}: ${boundNote(result.bounds[0])}`,
    },
    {
      section,
      id: 'targets.seedMs',
      name: `seeding: one apply of all ${targets} targets, no latency`,
      value: result.seed.ms,
      unit: 'ms',
      note: `${result.seed.calls} calls over the ${targets} emulators`,
    },
  ];
}

export const targetsScenario: Scenario = {
  name: 'targets',
  async run(context) {
    const shape = context.quick ? scaledDown(TARGET_ACCOUNT, 10) : TARGET_ACCOUNT;
    const options: TargetsBenchOptions = { shape, targets: 5, runs: context.runs, latencyMs: context.latencyMs, workDir: context.workDir };
    const result = await benchTargets(options);
    context.problems.push(...result.problems);
    return targetsMeasurements(result, options);
  },
};
