/** What the plan benchmarks share: an account applied once, then planned against while it is at rest. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configYaml, type Account, type EmulatorStateFile } from './account.js';
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
  const { statePaths, seed } = await seedStates([account.initialState], workDir, name, ([url]) => ['-f', configPath, '--endpoint', url]);
  return { configPath, statePath: statePaths[0], seed };
}

/**
 * Starts one emulator (no latency) per initial state, runs one `streamform apply` with
 * `applyArgs(their URLs)`, and saves the state each emulator was left with under `name`.
 */
export async function seedStates(
  states: readonly EmulatorStateFile[],
  workDir: string,
  name: string,
  applyArgs: (urls: string[]) => string[],
): Promise<{ statePaths: string[]; seed: { ms: number; calls: number } }> {
  const suffix = (index: number) => (states.length > 1 ? `-${index + 1}` : '');
  const emulators = await Promise.all(
    states.map((state, index) => {
      const initialPath = join(workDir, `${name}${suffix(index)}-initial.json`);
      writeFileSync(initialPath, JSON.stringify(state));
      return startEmulatorProcess(['--state', initialPath]);
    }),
  );
  try {
    const applied = await runCli(['apply', ...applyArgs(emulators.map((emulator) => emulator.url)), '--yes']);
    if (applied.code !== 0) throw new Error(`seeding apply exited with ${applied.code}: ${firstLine(applied.stderr || applied.stdout)}`);
    const statePaths: string[] = [];
    let calls = 0;
    for (const [index, emulator] of emulators.entries()) {
      calls += (await emulator.calls()).length;
      const statePath = join(workDir, `${name}${suffix(index)}-seeded.json`);
      writeFileSync(statePath, JSON.stringify(await emulator.state()));
      statePaths.push(statePath);
    }
    return { statePaths, seed: { ms: applied.ms, calls } };
  } finally {
    await Promise.all(emulators.map((emulator) => emulator.stop()));
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
 * Runs one measured side against cleared call logs (of one emulator, or of each target's) and records
 * its wall time, memory and the calls of all of them. A failed call is a problem, except a denied
 * GetResources where `deniedTags` says the emulator denies it.
 */
export async function measure(
  emulators: readonly EmulatorProcess[],
  side: SideResult,
  label: string,
  problems: string[],
  run: () => Promise<{ ms: number; peakRssMb?: number }>,
  deniedTags = false,
): Promise<void> {
  await Promise.all(emulators.map((emulator) => emulator.clearCalls()));
  const { ms, peakRssMb } = await run();
  side.ms.push(ms);
  if (peakRssMb !== undefined) side.peakRssMb.push(peakRssMb);
  const calls = (await Promise.all(emulators.map((emulator) => emulator.calls()))).flat();
  side.calls.push(calls.length);
  const failed = calls.filter((call) => call.status >= 300 && !(deniedTags && call.operation === 'GetResources'));
  if (failed.length) note(problems, `${label}: ${failed.length} calls failed (first: ${failed[0].operation} ${failed[0].status})`);
}

/**
 * One measured `streamform plan` of the account at rest: it must find no changes, and say that
 * GetResources is denied exactly when `deniedTags`.
 */
export function planAtRest(emulator: EmulatorProcess, configPath: string, side: SideResult, label: string, problems: string[], deniedTags = false): Promise<void> {
  return planEmulatorsAtRest([emulator], ['-f', configPath, '--endpoint', emulator.url], side, label, problems, deniedTags);
}

/** `streamform plan <planArgs>` measured as planAtRest does, its calls counted on every one of `emulators`. */
export function planEmulatorsAtRest(
  emulators: readonly EmulatorProcess[],
  planArgs: string[],
  side: SideResult,
  label: string,
  problems: string[],
  deniedTags = false,
): Promise<void> {
  return measure(
    emulators,
    side,
    label,
    problems,
    async () => {
      const result = await runCliMeasuringRss(['plan', ...planArgs, '--detailed-exitcode']);
      if (result.code === 1) throw new Error(`${label} plan exited with 1: ${firstLine(result.stderr)}`);
      if (result.code === 2) note(problems, `${label} plan found changes in the seeded account (exit 2), so it was not at rest`);
      const notices = result.stderr.split('\n').filter((line) => line.includes('GetResources')).length;
      if (notices !== (deniedTags ? emulators.length : 0)) note(problems, `${label} plan said ${notices} times that GetResources is denied`);
      return result;
    },
    deniedTags,
  );
}

export function note(problems: string[], problem: string) {
  if (!problems.includes(problem)) problems.push(problem);
}

export const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
