/** What the drift, import and config-diff tests share: the built CLI, configs on disk, plan and apply in-process. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, createApplyClients } from '../../src/apply/applier.js';
import type { ApplySummary } from '../../src/apply/events.js';
import { destroyClients, type AwsClients } from '../../src/aws/clients.js';
import { loadConfig } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { describeLive, planConfirmingTags } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/core/plan.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI. Asynchronous on purpose: the emulator serves from this process, so a
 * synchronous spawn would leave it unable to answer.
 */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p .' first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `streamform-${prefix}-`));
}

/** Writes `yaml` to `dir/name` and returns the path. */
export function writeYaml(dir: string, name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

/** describe + plan, in-process, as `streamform plan` computes it. */
export async function planOf(loaded: LoadedConfig, clients: AwsClients, endpoint: string): Promise<Plan> {
  const prune = loaded.config.prune ?? false;
  const live = await describeLive(loaded.config, clients, { prune });
  return planConfirmingTags(loaded.config, clients, live, prune, () => buildPlan({ loaded, live, prune, region: clients.region, endpoint }));
}

export async function planFile(file: string, clients: AwsClients, endpoint: string): Promise<Plan> {
  return planOf(await loadConfig([file]), clients, endpoint);
}

/** Applies every call of the plan with the applier and returns its summary. */
export async function applyAll(plan: Plan, endpoint: string): Promise<ApplySummary> {
  const clients = createApplyClients({ endpoint, region: plan.target.region });
  try {
    for await (const event of applyPlan(plan, clients, { pollIntervalMs: 20, waitTimeoutMs: 10_000 })) {
      if (event.type === 'summary') return event.summary;
    }
    throw new Error('the applier ended without a summary');
  } finally {
    destroyClients(clients);
  }
}

/** The line (1-based) of the first line of `text` that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`'${needle}' is not in the text`);
  return index + 1;
}
