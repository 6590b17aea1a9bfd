/**
 * What the apply command tests share: the built CLI (`npx tsc -p .` first) as a child process,
 * configs in a temporary folder, and describe + plan in-process to check where a run left things.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClients, destroyClients } from '../../src/aws/clients.js';
import { loadConfig } from '../../src/config/load.js';
import { describeLive, planConfirmingTags } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/core/plan.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const CLI = resolve('dist/src/cli/main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI: its process, what it printed so far, and how it ended. */
export interface CliProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exit: Promise<Exit>;
}

/**
 * Starts the CLI without waiting for it: the emulator serves from this process, so the test must
 * keep its event loop free while the child runs.
 */
export function startCli(args: string[], cwd: string): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const printed = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  const exit = new Promise<Exit>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, ...printed }));
  });
  return { child, output: () => ({ ...printed }), exit };
}

export function streamform(args: string[], cwd: string): Promise<Exit> {
  return startCli(args, cwd).exit;
}

/** Resolves once the running CLI has printed a line matching `pattern` on stdout. */
export function printed(cli: CliProcess, pattern: RegExp): Promise<void> {
  return new Promise((done, fail) => {
    const check = () => {
      if (pattern.test(cli.output().stdout)) {
        cli.child.stdout!.off('data', check);
        done();
      }
    };
    cli.child.stdout!.on('data', check);
    cli.exit.then(() => fail(new Error(`exited before printing ${pattern}:\n${cli.output().stdout}${cli.output().stderr}`)), fail);
    check();
  });
}

export function workDir(): string {
  return mkdtempSync(join(tmpdir(), 'streamform-apply-'));
}

export function writeConfig(dir: string, name: string, yaml: string): string {
  writeFileSync(join(dir, name), yaml);
  return name;
}

/** describe + plan in-process, as `streamform plan` computes it, for the config files in `dir`. */
export async function planNow(dir: string, files: string[], url: string, prune = false): Promise<Plan> {
  const loaded = await loadConfig(files.map((file) => join(dir, file)));
  const clients = createClients({ endpoint: url });
  try {
    const live = await describeLive(loaded.config, clients, { prune });
    return await planConfirmingTags(loaded.config, clients, live, prune, () => buildPlan({ loaded, live, prune, region: clients.region, endpoint: url }));
  } finally {
    destroyClients(clients);
  }
}

/**
 * For a file of CLI tests: a work folder with these config files and one emulator (20 ms transitions),
 * reset to `state` with an empty call log before each test. `ready` hears both once they exist.
 */
export function useCliWorkspace(files: Record<string, string>, state: EmulatorState, ready: (work: string, emulator: TestEmulator) => void): void {
  let work: string;
  let emulator: TestEmulator;
  beforeAll(async () => {
    work = workDir();
    emulator = await startTestEmulator({ transitionMs: 20 });
    for (const [name, yaml] of Object.entries(files)) writeConfig(work, name, yaml);
    ready(work, emulator);
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(work, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await emulator.setState(state);
    await emulator.clearCalls();
  });
}
