import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root, found from this file whether it runs from `bench/` or `dist/bench/`. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'streamform') return d;
    if (dirname(d) === d) throw new Error(`no streamform package.json above ${dir}`);
  }
}

/** Children always run the built JavaScript, so the numbers are those a user gets from `npm i -g`. */
export function builtScript(relativePath: string): string {
  const path = join(projectRoot, 'dist', relativePath);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`);
  return path;
}

export const cliScript = () => builtScript('src/cli/main.js');

/** Keeps the SDK's Node 20 notice and colours out of measured output. */
const childEnv = (extra: Record<string, string> = {}) => ({ ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', ...extra });

/** Node flags for every child (`--cpu-prof` cannot go through NODE_OPTIONS). */
const childNodeFlags: string[] = [];

/** From now on every child process writes a CPU profile into `dir`. */
export function profileChildrenTo(dir: string): void {
  childNodeFlags.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
}

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** No single command of the benchmarks takes this long; one that does is stuck. */
const CHILD_TIMEOUT_MS = 5 * 60_000;

/** Runs `node <args>` to completion. */
export function runNode(args: string[], env?: Record<string, string>): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...childNodeFlags, ...args], { cwd: projectRoot, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      if (signal && ms >= CHILD_TIMEOUT_MS) return reject(new Error(`node ${args.join(' ')} did not finish in ${CHILD_TIMEOUT_MS / 1000} s`));
      resolve({ code: code ?? 128, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms });
    });
  });
}

/** Runs the `streamform` CLI with `args`. */
export const runCli = (args: string[]) => runNode([cliScript(), ...args]);

let rssFiles = 0;

/** Runs the `streamform` CLI with `args` and reads back the process's peak RSS. */
export async function runCliMeasuringRss(args: string[]): Promise<ProcessResult & { peakRssMb: number }> {
  const file = join(tmpdir(), `streamform-bench-rss-${process.pid}-${rssFiles++}`);
  try {
    const result = await runNode(['--import', pathToFileURL(builtScript('bench/peak-rss.js')).href, cliScript(), ...args], { PEAK_RSS_FILE: file });
    return { ...result, peakRssMb: Number(readFileSync(file, 'utf8')) / 1024 };
  } finally {
    rmSync(file, { force: true });
  }
}

/** One entry of the emulator's call log. */
export interface CallRecord {
  service: string;
  operation: string;
  status: number;
  /** The error type of a failed call. */
  error?: string;
}

export interface EmulatorProcess {
  url: string;
  calls(): Promise<CallRecord[]>;
  clearCalls(): Promise<void>;
  state(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts `streamform emulator --port 0 <flags>` in its own process, so it gets its own core
 * and its work never shares an event loop with the client being measured.
 */
export function startEmulatorProcess(flags: string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...childNodeFlags, cliScript(), 'emulator', '--port', '0', ...flags], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
      if (!match) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve(emulatorHandle(match[1], async () => {
        child.kill('SIGTERM');
        await exited;
      }));
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator ${flags.join(' ')} exited with ${code}: ${stderr.trim()}`)));
  });
}

function emulatorHandle(url: string, stop: () => Promise<void>): EmulatorProcess {
  const request = async (path: string, method: string) => {
    const response = await fetch(`${url}/_emulator/${path}`, { method });
    if (!response.ok) throw new Error(`${method} /_emulator/${path}: HTTP ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    url,
    calls: async () => (await (await request('calls', 'GET')).json()) as CallRecord[],
    clearCalls: async () => void (await request('calls', 'DELETE')).body?.cancel(),
    state: async () => (await request('state', 'GET')).json(),
    stop,
  };
}
