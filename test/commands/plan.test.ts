/**
 * `streamform plan` end to end: the built CLI (run `npx tsc -p .` first) against the emulator,
 * with the real SDK clients, in every output format, with its exit codes and error lines.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, createApplyClients } from '../../src/apply/applier.js';
import { run } from '../../src/commands/plan.js';
import { parsePlanFile } from '../../src/render/json.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const CLI = resolve('dist/src/cli/main.js');
const OWNER = 'streamform:project';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in the work folder, with a clean environment plus `env`. */
async function streamform(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return exec(process.execPath, [CLI, ...args], env);
}

async function exec(file: string, args: string[], env: Record<string, string>): Promise<Result> {
  const baseEnv = { PATH: process.env.PATH ?? '', HOME: work, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { env: { ...baseEnv, ...env }, cwd: work, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let work: string;
let emulator: TestEmulator;

/** A config file in the work folder. */
function config(name: string, yaml: string): string {
  writeFileSync(join(work, name), yaml);
  return name;
}

const STUDIO = `version: 1
project: studio
stacks:
  - Name: design
    DisplayName: Design
    EmbedHostDomains: [design.example.com]
  - Name: review
    RedirectURL: https://portal.example.com/review
`;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
  work = mkdtempSync(join(tmpdir(), 'streamform-plan-'));
  emulator = await startTestEmulator();
  await emulator.setState({
    appstream: {
      stacks: [
        { Name: 'review', RedirectURL: 'https://portal.example.com/old', Tags: { [OWNER]: 'studio' } },
        { Name: 'finance-desk', Tags: { [OWNER]: 'finance' } },
      ],
    },
  });
  config('studio.yaml', STUDIO);
});

afterAll(async () => {
  await emulator?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('streamform plan', () => {
  it('prints the JSON plan, saves it and the PR comment, and exits 2 on changes with --detailed-exitcode', async () => {
    const result = await streamform([
      'plan', '-f', 'studio.yaml', '--endpoint', emulator.url, '--format', 'json', '--detailed-exitcode', '--out', 'plan.json', '--comment-file', 'comment.md',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code, result.stderr).toBe(2);
    const plan = parsePlanFile(result.stdout);
    expect(plan.changes.filter((c) => c.action !== 'no-op').map((c) => [c.address, c.action])).toEqual([
      ['stack/design', 'create'],
      ['stack/review', 'update'],
    ]);
    expect(plan.calls.map((c) => `${c.operation} ${c.address}`)).toContain('CreateStack stack/design');
    expect(plan.summary).toEqual({ create: 1, update: 1, replace: 0, delete: 0 });
    expect(plan.target.endpoint).toBe(emulator.url);
    expect(readFileSync(join(work, 'plan.json'), 'utf8')).toBe(result.stdout);
    const comment = readFileSync(join(work, 'comment.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe('<!-- streamform:plan project=studio -->');
    expect(comment).toContain('**Plan: 1 to create, 1 to update, 0 to replace, 0 to delete.**');
  });

  it('prints plain text when stdout is not a terminal, and exits 0 without --detailed-exitcode', async () => {
    const result = await streamform(['plan', '-f', 'studio.yaml', '--endpoint', emulator.url]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  + stack/design\n');
    expect(result.stdout).toContain('  ~ stack/review\n      ~ RedirectURL: "https://portal.example.com/old" -> "https://portal.example.com/review"\n');
    expect(result.stdout).toMatch(/\nPlan: 1 to create, 1 to update, 0 to replace, 0 to delete\.\n$/);
    expect(result.stdout).not.toContain('\x1b');
  });

  it('prints the Markdown comment with --format markdown', async () => {
    const result = await streamform(['plan', '-f', 'studio.yaml', '--endpoint', emulator.url, '--format', 'markdown']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('<!-- streamform:plan project=studio -->');
    expect(result.stdout).toContain('<details><summary><code>+ stack/design</code> create</summary>');
  });

  it('colours text on a terminal, but not when NO_COLOR is set, and never moves the cursor', async () => {
    const command = `${process.execPath} ${CLI} plan -f studio.yaml --endpoint ${emulator.url} --format text`;
    const colored = await exec('script', ['-qec', command, '/dev/null'], {});
    const plain = await exec('script', ['-qec', command, '/dev/null'], { NO_COLOR: '1' });
    expect(colored.stdout).toMatch(/\x1b\[32;1m\+\x1b\[0m \x1b\[1mstack\/design/);
    expect(plain.stdout).toContain('+ stack/design');
    expect(plain.stdout).not.toContain('\x1b[');
    expect(colored.stdout).not.toMatch(/\x1b\[[0-9;?]*[A-HJKSTfhlsu]/);
  });

  it('shows the interactive view on a terminal, and keeps the exit code when it is closed', async () => {
    const command = `stty cols 100 rows 30; ${process.execPath} ${CLI} plan -f studio.yaml --endpoint ${emulator.url} --detailed-exitcode`;
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work, TERM: 'xterm' } });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    // Keys typed before the view listens may be lost: press q until it closes. A press as it closes
    // finds the terminal gone (EPIPE), which is no failure of the view.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
    const pressing = setInterval(() => child.stdin.write('q'), 300);
    const code = await new Promise<number | null>((done) => child.on('exit', done)).finally(() => clearInterval(pressing));
    expect(code).toBe(2);
    expect(screen).toContain('Plan: 1 to create, 1 to update, 0 to replace, 0 to delete.');
    expect(screen).not.toContain('Plan for project'); // the plain text renderer's header
  });

  it('prints plain text instead of the interactive view on a terminal when CI is set', async () => {
    const command = `${process.execPath} ${CLI} plan -f studio.yaml --endpoint ${emulator.url} --detailed-exitcode`;
    const result = await exec('script', ['-qec', command, '/dev/null'], { CI: 'true', NO_COLOR: '1' });
    expect(result.stdout).toContain('Plan for project');
    expect(result.stdout).toContain('Plan: 1 to create, 1 to update, 0 to replace, 0 to delete.');
    expect(result.stdout).not.toMatch(/\x1b\[[0-9;?]*[A-HJKSTfhlsu]/);
  });

  it('shows "No changes." and exits 0 with --detailed-exitcode once the plan is applied', async () => {
    const plan = parsePlanFile(readFileSync(join(work, 'plan.json'), 'utf8'));
    const clients = createApplyClients({ endpoint: emulator.url });
    for await (const event of applyPlan(plan, clients)) {
      if (event.type === 'call-failed') throw new Error(`call ${event.callId} failed: ${event.error.message}`);
    }
    const result = await streamform(['plan', '-f', 'studio.yaml', '--endpoint', emulator.url, '--detailed-exitcode']);
    expect(result.stdout).toMatch(/\nNo changes\.\n$/);
    expect(result.code, result.stderr).toBe(0);
  });

  it('prints the plan and exits 1 when the plan has an error', async () => {
    config('foreign.yaml', `${STUDIO}  - Name: finance-desk\n    DisplayName: Finance\n`);
    const result = await streamform(['plan', '-f', 'foreign.yaml', '--endpoint', emulator.url, '--detailed-exitcode']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/error: stack\/finance-desk: .*finance/);
    expect(result.stdout).toMatch(/\n(No changes planned; 1 error\.|Plan: .*)\n$/);
  });

  it('prints every config problem as file:line:column: path: message and exits 1', async () => {
    config('broken.yaml', 'version: 1\nproject: studio\nstacks:\n  - Name: design\n    RedirectURL: 42\n  - DisplayName: nameless\n');
    const result = await streamform(['plan', '-f', 'broken.yaml', '--endpoint', emulator.url]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    const problems = lines.slice(0, -1);
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const line of problems) expect(line).toMatch(/^broken\.yaml:\d+:\d+: \S.*: .+/);
    expect(lines.at(-1)).toBe(`${problems.length} errors in the config`);
    expect(result.stderr).toContain('broken.yaml:5:18: ');
  });

  it('turns an AWS error into one line on stderr, without a stack trace', async () => {
    const throttling = await startTestEmulator({ throttleRate: 1 });
    try {
      // Two attempts: reads retry as apply does (10 attempts, backoff up to 20 s), and say so.
      const result = await streamform(['plan', '-f', 'studio.yaml', '--endpoint', throttling.url], { AWS_MAX_ATTEMPTS: '2' });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/^streamform: retrying DescribeStacks \(ThrottlingException\), attempt 2 of 2 in \d+\.\d s\nstreamform: .*Throttl.*\n$/);
    } finally {
      await throttling.close();
    }
  });

  it('still prints the plan when the plan file cannot be written, then exits 1 with one line', async () => {
    const result = await streamform(['plan', '-f', 'studio.yaml', '--endpoint', emulator.url, '--out', 'missing/plan.json']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('No changes.');
    expect(result.stderr).toBe('streamform: plan: cannot write the plan file missing/plan.json: its folder does not exist\n');
  });

  it.each([
    [['-f', 'x.yaml', '--format', 'yaml'], "plan: --format must be one of text, json, markdown, got 'yaml'"],
    [['--format', 'json'], 'plan: no config given; pass -f FILE|DIR, or run it in a folder that has streamform.yaml'],
    [['-f', 'x.yaml', '--colour'], "plan: Unknown option '--colour' (see 'streamform plan --help')"],
  ])('refuses flags %j with one line', async (args, message) => {
    await expect(run(args)).rejects.toThrow(message);
  });
});
