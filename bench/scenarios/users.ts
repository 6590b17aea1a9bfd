import { createClients, destroyClients } from '../../src/aws/clients.js';
import { generateAccount, USERS_ACCOUNT, type AccountShape } from '../account.js';
import { boundNote, measureLowerBounds, type LowerBound } from '../lower-bound.js';
import { startEmulatorProcess } from '../processes.js';
import type { Measurement } from '../report.js';
import type { Scenario } from '../scenario.js';
import { emptySide, planAtRest, seedAccount, type SideResult } from '../seeded.js';
import { median } from '../stats.js';

export interface UsersBenchOptions {
  shape: AccountShape;
  runs: number;
  latencyMs: number;
  workDir: string;
}

export interface UsersBenchResult {
  seed: { ms: number; calls: number };
  streamform: SideResult;
  bound: LowerBound;
  problems: string[];
}

/**
 * A user pool declared in the config, every user assigned to the first stack and to one team stack:
 * seeded by one apply (the users exist, the apply assigns them), then planned at rest with `latencyMs`.
 */
export async function benchUsers(options: UsersBenchOptions): Promise<UsersBenchResult> {
  const { shape, runs, latencyMs, workDir } = options;
  const account = generateAccount(shape);
  const { configPath, statePath, seed } = await seedAccount(account, workDir, 'user-pool');
  const emulator = await startEmulatorProcess(['--state', statePath, '--latency-ms', String(latencyMs)]);
  const clients = createClients({ endpoint: emulator.url });
  const problems: string[] = [];
  try {
    const { bulk: bound } = await measureLowerBounds(clients, account.config);
    const streamform = emptySide();
    for (let run = 0; run < runs; run++) await planAtRest(emulator, configPath, streamform, 'user pool', problems);
    return { seed, streamform, bound, problems };
  } finally {
    destroyClients(clients);
    await emulator.stop();
  }
}

export function usersMeasurements(result: UsersBenchResult, options: UsersBenchOptions): Measurement[] {
  const { shape, runs, latencyMs } = options;
  const section = `User pool: ${shape.users.toLocaleString('en-US')} users on ${shape.stacks} stacks (all on the first, each on one other), all unchanged; ${latencyMs} ms latency; median of ${runs}`;
  const calls = Math.max(...result.streamform.calls);
  return [
    { section, id: 'users.ms', name: 'streamform plan: wall time', value: median(result.streamform.ms), unit: 'ms' },
    { section, id: 'users.peakRssMb', name: 'streamform plan: peak RSS', value: Math.max(...result.streamform.peakRssMb), unit: 'MB' },
    { section, id: 'users.calls', name: 'streamform plan: API calls', value: calls, unit: 'calls', target: { op: '==', bound: result.bound.total } },
    { section, id: 'users.lowerBound', name: 'lower bound of calls', value: result.bound.total, unit: 'calls', note: boundNote(result.bound) },
    {
      section,
      id: 'users.seedMs', name: 'seeding: one apply of the whole account, no latency',
      value: result.seed.ms,
      unit: 'ms',
      note: `${result.seed.calls} calls to create ${shape.stacks} stacks and assign ${shape.users.toLocaleString('en-US')} existing users to them`,
    },
  ];
}

export const usersScenario: Scenario = {
  name: 'users',
  async run(context) {
    const scale = context.quick ? 10 : 1;
    const shape = { ...USERS_ACCOUNT, users: USERS_ACCOUNT.users / scale };
    const options: UsersBenchOptions = { shape, runs: context.runs, latencyMs: context.latencyMs, workDir: context.workDir };
    const result = await benchUsers(options);
    context.problems.push(...result.problems);
    return usersMeasurements(result, options);
  },
};
