/** What the plan benchmarks share: an account applied once, then planned against while it is at rest. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml, type Account } from './account.js';
import { runCli, runCliMeasuringRss, startEmulatorProcess, type EmulatorProcess } from './processes.js';

export interface SeededAccount {
  configPath: string;
  /** The emulator's state after the apply: start emulators from it. */
  statePath: string;
  /** The apply that brought the account under management. */
  seed: { ms: number; calls: number };
}

/** Writes the account's config and initial state under `name`, applies the config once (no latency), and saves the state it left. */
export async function seedAccount(account: Account, workDir: string, name: string): Promise<SeededAccount> {
  const configPath = join(workDir, `${name}.yaml`);
  writeFileSync(configPath, configYaml(account.config));
  const initialPath = join(workDir, `${name}-initial.json`);
  writeFileSync(initialPath, JSON.stringify(account.initialState));
  const emulator = await startEmulatorProcess(['--state', initialPath]);
  const statePath = join(workDir, `${name}-seeded.json`);
  try {
    const applied = await runCli(['apply', '-f', configPath, '--endpoint', emulator.url, '--yes']);
    if (applied.code !== 0) throw new Error(`seeding apply exited with ${applied.code}: ${firstLine(applied.stderr || applied.stdout)}`);
    const seed = { ms: applied.ms, calls: (await emulator.calls()).length };
    writeFileSync(statePath, JSON.stringify(await emulator.state()));
    return { configPath, statePath, seed };
  } finally {
    await emulator.stop();
  }
}

/** What one side (streamform or the baseline) cost on one path, over all runs. */
export interface SideResult {
  ms: number[];
  calls: number[];
  /** Peak RSS of each run's process, where the side runs in one. */
  peakRssMb: number[];
}

export const emptySide = (): SideResult => ({ ms: [], calls: [], peakRssMb: [] });

/**
 * Runs one measured side against a cleared call log and records its wall time, memory and calls. A
 * failed call is a problem, except a denied GetResources where `deniedTags` says the emulator denies it.
 */
export async function measure(
  emulator: EmulatorProcess,
  side: SideResult,
  label: string,
  problems: string[],
  run: () => Promise<{ ms: number; peakRssMb?: number }>,
  deniedTags = false,
): Promise<void> {
  await emulator.clearCalls();
  const { ms, peakRssMb } = await run();
  side.ms.push(ms);
  if (peakRssMb !== undefined) side.peakRssMb.push(peakRssMb);
  const calls = await emulator.calls();
  side.calls.push(calls.length);
  const failed = calls.filter((call) => call.status >= 300 && !(deniedTags && call.operation === 'GetResources'));
  if (failed.length) note(problems, `${label}: ${failed.length} calls failed (first: ${failed[0].operation} ${failed[0].status})`);
}

/**
 * One measured `streamform plan` of the account at rest: it must find no changes, and say that
 * GetResources is denied exactly when `deniedTags`.
 */
export function planAtRest(emulator: EmulatorProcess, configPath: string, side: SideResult, label: string, problems: string[], deniedTags = false): Promise<void> {
  return measure(
    emulator,
    side,
    label,
    problems,
    async () => {
      const result = await runCliMeasuringRss(['plan', '-f', configPath, '--endpoint', emulator.url, '--detailed-exitcode']);
      if (result.code === 1) throw new Error(`${label} plan exited with 1: ${firstLine(result.stderr)}`);
      if (result.code === 2) note(problems, `${label} plan found changes in the seeded account (exit 2), so it was not at rest`);
      const notices = result.stderr.split('\n').filter((line) => line.includes('GetResources')).length;
      if (notices !== (deniedTags ? 1 : 0)) note(problems, `${label} plan said ${notices} times that GetResources is denied`);
      return result;
    },
    deniedTags,
  );
}

export function note(problems: string[], problem: string) {
  if (!problems.includes(problem)) problems.push(problem);
}

export const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
