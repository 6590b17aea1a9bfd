/**
 * Just enough of the GitHub Actions runner to check this repository's action and example workflows
 * on this machine: their YAML shape, the `${{ }}` expressions they use, and their shell steps, run
 * the way the runner runs them (`bash --noprofile --norc -eo pipefail FILE`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface Job {
  'runs-on': string;
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  steps: Step[];
}

export interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

export interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string; value: string }>;
  runs: { using: string; steps: Step[] };
}

export function loadYaml<T>(file: string): T {
  return parse(readFileSync(file, 'utf8')) as T;
}

/** Values of the contexts an expression may read, by dotted name: `inputs.command`, `github.action_path`. */
export type Contexts = Record<string, string | undefined>;

/**
 * Fills in `${{ name }}` expressions that read a context value. Anything more (functions,
 * operators) is refused: the action's scripts get their inputs through `env:`, plainly.
 */
export function evaluate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    if (!/^[\w-]+(\.[\w-]+)+$/.test(expression)) throw new Error(`unsupported expression \${{ ${expression} }}`);
    if (!(expression in contexts)) throw new Error(`unknown context value \${{ ${expression} }}`);
    return contexts[expression] ?? '';
  });
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  path: string[];
}

/**
 * Runs one `run:` step as the runner does: its script in a file, executed by bash with -e and
 * pipefail, the step's `env` (expressions filled in) over `baseEnv`, and GITHUB_OUTPUT/GITHUB_PATH
 * files read back afterwards.
 */
export async function runStep(step: Step, contexts: Contexts, baseEnv: Record<string, string>, cwd: string): Promise<StepResult> {
  if (step.run === undefined) throw new Error(`step ${step.name ?? step.id} is not a run step`);
  if ((step.shell ?? 'bash') !== 'bash') throw new Error(`step ${step.name ?? step.id}: only bash is run here`);
  const files = mkdtempSync(join(tmpdir(), 'streamform-step-'));
  const script = join(files, 'script.sh');
  const output = join(files, 'output');
  const path = join(files, 'path');
  writeFileSync(script, evaluate(step.run, contexts));
  writeFileSync(output, '');
  writeFileSync(path, '');
  const env: Record<string, string> = { ...baseEnv, GITHUB_OUTPUT: output, GITHUB_PATH: path };
  for (const [name, value] of Object.entries(step.env ?? {})) env[name] = evaluate(String(value), contexts);
  const directory = step['working-directory'] === undefined ? cwd : resolve(cwd, evaluate(step['working-directory'], contexts));
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: directory, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
  const result = { code, stdout, stderr, outputs: parseOutputs(readFileSync(output, 'utf8')), path: readFileSync(path, 'utf8').split('\n').filter(Boolean) };
  rmSync(files, { recursive: true, force: true });
  return result;
}

/** `name=value` lines, and `name<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

/** A `uses:` line's parts: `actions/checkout@<sha> # v6.1.0`. */
export const PINNED = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/;

/** Every `uses:` of a workflow or action file with the comment that follows it on its line. */
export function usesLines(file: string): { uses: string; comment: string }[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$/gm)].map((m) => ({ uses: m[1], comment: m[2] ?? '' }));
}
