/**
 * The composite action (action.yml) run as the runner would run it: each `run:` step in bash with
 * the inputs filled in, against the emulator, reading back the outputs it declares. Its action
 * path is this checkout, which `npm test` has built, so the build step finds it built (the npm ci
 * branch is what a fresh runner takes).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { evaluate, loadYaml, runStep, usesLines, type Action, type Contexts } from './github-actions.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ACTION_FILE = join(ROOT, 'action.yml');
const action = loadYaml<Action>(ACTION_FILE);

let workspace: string;
let runnerTemp: string;
let emulator: TestEmulator;

interface ActionResult {
  /** The first failing step's exit code, else 0. */
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  path: string[];
}

/** Runs the action's steps in order, as a job's `uses: ./` would, with `inputs` over the defaults. */
async function runAction(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionResult> {
  for (const name of Object.keys(inputs)) expect(Object.keys(action.inputs), `input ${name}`).toContain(name);
  const contexts: Contexts = { 'github.action_path': ROOT, 'runner.temp': runnerTemp };
  for (const [name, input] of Object.entries(action.inputs)) contexts[`inputs.${name}`] = inputs[name] ?? input.default ?? '';
  const baseEnv = {
    PATH: process.env.PATH ?? '',
    HOME: workspace,
    CI: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_WORKSPACE: workspace,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
  const result: ActionResult = { code: 0, stdout: '', stderr: '', outputs: {}, path: [] };
  for (const step of action.runs.steps) {
    const ran = await runStep(step, contexts, baseEnv, workspace);
    result.stdout += ran.stdout;
    result.stderr += ran.stderr;
    result.path.push(...ran.path);
    for (const [name, value] of Object.entries(ran.outputs)) if (step.id) contexts[`steps.${step.id}.outputs.${name}`] = value;
    if (ran.code !== 0) {
      result.code = ran.code;
      break;
    }
  }
  // An output whose step did not write it is empty, as on the runner.
  for (const [name, output] of Object.entries(action.outputs)) {
    const missing = Object.fromEntries([...output.value.matchAll(/\$\{\{\s*(steps\.[\w.-]+)\s*\}\}/g)].map((m) => [m[1], contexts[m[1]] ?? '']));
    result.outputs[name] = evaluate(output.value, { ...contexts, ...missing });
  }
  return result;
}

function write(name: string, text: string): string {
  writeFileSync(join(workspace, name), text);
  return name;
}

const CONFIG = 'version: 1\nproject: action-test\nregion: us-east-1\nstacks:\n  - Name: design\n  - Name: review\n';
const SMALLER = 'version: 1\nproject: action-test\nregion: us-east-1\nstacks:\n  - Name: design\n';

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('dist/ is missing: build first with `npx tsc -p .`');
  workspace = mkdtempSync(join(tmpdir(), 'streamform-action-'));
  runnerTemp = mkdtempSync(join(tmpdir(), 'streamform-runner-temp-'));
  emulator = await startTestEmulator();
  write('streamform.yaml', CONFIG);
  write('smaller.yaml', SMALLER);
  write('invalid.yaml', 'version: 1\nproject: action-test\nstacks:\n  - Name: design\n    DisplayNam: Design\n');
});

afterAll(async () => {
  await emulator?.close();
  for (const dir of [workspace, runnerTemp]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('action.yml', () => {
  it('is a composite action whose scripts read their inputs from env, never from expressions', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['command', 'config', 'format', 'targets', 'comment-file', 'plan-file', 'output-file', 'args', 'working-directory']);
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'changes', 'destroy', 'plan-file']);
    for (const step of action.runs.steps) {
      expect(step.shell, step.name).toBe('bash');
      expect(step.run, step.name).not.toContain('${{');
    }
    // It builds from its own checkout and downloads no tool: no action it uses, no package it names.
    expect(usesLines(ACTION_FILE)).toEqual([]);
    expect(readFileSync(ACTION_FILE, 'utf8')).not.toMatch(/npm (install|i) |npx |curl|wget/);
  });

  it('plans with the plan saved, the comment written and the outputs set, then applies that plan', async () => {
    const planned = await runAction({ command: 'plan', 'comment-file': 'plan.md', 'plan-file': 'plan.json', args: `--endpoint ${emulator.url}` });
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.outputs).toEqual({ 'exit-code': '2', changes: 'true', destroy: 'false', 'plan-file': 'plan.json' });
    expect(planned.stdout).toContain('Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.');
    expect(readFileSync(join(workspace, 'plan.md'), 'utf8')).toMatch(/^<!-- streamform:plan project=action-test -->\n/);
    // Later steps of the job can run `streamform` itself.
    expect(planned.path).toEqual([join(runnerTemp, 'streamform-bin')]);
    expect(execFileSync(join(runnerTemp, 'streamform-bin', 'streamform'), ['--version'], { encoding: 'utf8' })).toMatch(/^\d+\.\d+\.\d+\n$/);

    const applied = await runAction({ command: 'apply', args: 'plan.json' }, { STREAMFORM_CONFIG: 'invalid.yaml' });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.outputs).toMatchObject({ 'exit-code': '0', changes: 'false', 'plan-file': '' });
    expect(applied.stdout).toContain('Apply complete: 2 succeeded, 0 failed, 0 skipped');

    const again = await runAction({ command: 'plan', args: `--endpoint ${emulator.url}` });
    expect(again.outputs).toEqual({ 'exit-code': '0', changes: 'false', destroy: 'false', 'plan-file': join(runnerTemp, 'streamform-plan.json') });

    const drift = await runAction({ command: 'drift', format: 'github', args: `--endpoint ${emulator.url}` });
    expect(drift.outputs).toMatchObject({ 'exit-code': '0', changes: 'false' });
  });

  it('says when a plan deletes, with the config given as lines', async () => {
    await emulator.setState({});
    expect((await runAction({ command: 'apply', args: `--yes --endpoint ${emulator.url}` })).code).toBe(0);
    const pruned = await runAction({ command: 'plan', config: '\n  smaller.yaml  \n\n', args: `--prune --endpoint ${emulator.url}` });
    expect(pruned.outputs).toMatchObject({ 'exit-code': '2', changes: 'true', destroy: 'true' });
    expect(pruned.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');
  });

  it('fails on exit code 1, with the outputs still set and the output file written', async () => {
    const invalid = await runAction({ command: 'validate', config: 'invalid.yaml', format: 'json', 'output-file': 'validate.json' });
    expect(invalid.code).toBe(1);
    expect(invalid.outputs).toMatchObject({ 'exit-code': '1', changes: 'false' });
    expect(invalid.stderr).toContain('streamform: validate: 1 error in the config');
    expect(JSON.parse(readFileSync(join(workspace, 'validate.json'), 'utf8')).diagnostics[0]).toMatchObject({ file: 'invalid.yaml', line: 5, path: 'stacks[0].DisplayNam' });
  });

  it('diffs two configs offline, and passes the targets on as --target', async () => {
    const diff = await runAction({ command: 'diff', format: 'markdown', args: 'smaller.yaml streamform.yaml', 'output-file': 'diff.md' });
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.outputs).toMatchObject({ 'exit-code': '2', changes: 'true' });
    expect(readFileSync(join(workspace, 'diff.md'), 'utf8')).toBe(diff.stdout);
    expect(diff.stdout).toContain('stack/review');

    // The config declares no targets: that plan names the first one it was given shows the input reaches it.
    const targeted = await runAction({ command: 'plan', targets: 'us-prod\neu-prod', args: `--endpoint ${emulator.url}` });
    expect(targeted.code).toBe(1);
    expect(targeted.stderr).toContain('streamform: --target us-prod: the config declares no targets');
  });
});
