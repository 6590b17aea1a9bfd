/**
 * The built CLI as a user meets it: every command's --help, and bad input of every kind (flags,
 * files, plan files, configs, endpoints, credentials) ending in exit 1 with precise lines on stderr
 * and never a stack trace. Build first (`npx tsc -p .`); `npm test` does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { closedPort } from '../robustness/fake-server.js';

const CLI = resolve('dist/src/cli/main.js');
/** Every command, loaded as the dispatcher loads it. */
const MODULES: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  validate: () => import('../../src/commands/validate.js'),
  plan: () => import('../../src/commands/plan.js'),
  apply: () => import('../../src/commands/apply.js'),
  drift: () => import('../../src/commands/drift.js'),
  diff: () => import('../../src/commands/diff.js'),
  import: () => import('../../src/commands/import.js'),
  emulator: () => import('../../src/commands/emulator.js'),
  demo: () => import('../../src/commands/demo.js'),
};
const COMMANDS = Object.keys(MODULES);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
/** A clean environment: no AWS credentials or profile, no instance metadata to wait for. */
let env: NodeJS.ProcessEnv;

function run(args: string[]): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const CONFIG = 'version: 1\nproject: cli-test\nregion: us-east-1\nstacks:\n  - Name: design\n';
const INVALID = 'version: 1\nproject: cli-test\nstacks:\n  - Name: design\n    DisplayNam: Design\n  - Name: design\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-cli-'));
  env = { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  writeFileSync(join(dir, 'streamform.yaml'), CONFIG);
  writeFileSync(join(dir, 'invalid.yaml'), INVALID);
  writeFileSync(join(dir, 'garbage.json'), '{"formatVersion": ');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streamform without a command', () => {
  it('prints the usage on stderr and exits 1, and --version prints the version', async () => {
    const bare = await run([]);
    expect(bare).toMatchObject({ code: 1, stdout: '' });
    expect(bare.stderr).toMatch(/^Usage: streamform <command>/);
    for (const command of COMMANDS) expect(bare.stderr).toContain(`  ${command} `);

    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('--help', () => {
  /** Runs a command in-process, as the CLI's dispatcher does, and returns what it printed. */
  async function helpOf(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
    const { run: runCommand } = await MODULES[command]();
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      return { code: await runCommand([...args, '--help']), stdout: written.join('') };
    } finally {
      spy.mockRestore();
    }
  }

  it('works through the built CLI', async () => {
    const help = await run(['plan', '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: streamform plan /);
  });

  it.each(COMMANDS)('%s --help prints its usage, and every option it names is one the command accepts', async (command) => {
    const help = await helpOf(command, []);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: streamform ${command}\\b`));

    // Each option the usage and option lines name goes back in (with a value where the help shows one)
    // beside --help: the strict parser refuses an option it does not know, or a value given to a switch.
    const optionLines = help.stdout.split('\n').filter((line) => /^(Usage:|\s+[-[])/.test(line));
    const named = optionLines.flatMap((line) => [...line.replace(/'[^']*'/g, '').matchAll(/--([a-z][a-z-]*)(?: ([A-Z][A-Z_]*|[a-z]+(?:\|[a-z]+)+)\b)?/g)]);
    // The first mention of an option is where its value is shown; later ones may name it alone.
    const args = [...new Map(named.reverse().map(([, flag, value]) => [flag, value === undefined ? `--${flag}` : `--${flag}=${value.split('|')[0]}`])).values()];
    expect(args.length).toBeGreaterThan(0);
    expect(await helpOf(command, args.filter((arg) => arg !== '--help'))).toEqual(help);
  });
});

describe('bad input', () => {
  let refused: string;
  beforeAll(async () => {
    refused = `http://127.0.0.1:${await closedPort()}`;
  });

  const cases: [string, () => string[], RegExp][] = [
    ['an unknown command', () => ['deploy'], /^streamform: unknown command 'deploy' \(commands: validate, plan, /],
    ['an unknown flag', () => ['plan', '--dry-run'], /^streamform: plan: Unknown option '--dry-run' \(see 'streamform plan --help'\)$/],
    ['a flag without its value', () => ['apply', '-f'], /^streamform: apply: Option '-f, --file <value>' argument missing/],
    ['a bad number', () => ['apply', '--concurrency', 'many', '--yes'], /^streamform: apply: --concurrency must be an integer from 1 to 64, got 'many'$/],
    ['a number in exponent notation', () => ['apply', '--concurrency', '1e1', '--yes'], /^streamform: apply: --concurrency must be an integer from 1 to 64, got '1e1'$/],
    ['a fraction for a count', () => ['apply', '--concurrency', '2.5', '--yes'], /^streamform: apply: --concurrency must be an integer from 1 to 64, got '2\.5'$/],
    ['a count out of range', () => ['apply', '--concurrency', '65', '--yes'], /^streamform: apply: --concurrency must be an integer from 1 to 64, got '65'$/],
    ['a rate in exponent notation', () => ['emulator', '--throttle-rate', '1e-1'], /^streamform: emulator: --throttle-rate must be a number from 0 to 1, got '1e-1'$/],
    ['an empty region', () => ['plan', '--region', ''], /^streamform: plan: --region needs a value, got an empty one$/],
    ['a region that is not a region name', () => ['drift', '--region', 'US East'], /^streamform: drift: --region must be a region name such as us-east-1, got 'US East'$/],
    ['an empty file name', () => ['validate', '-f', ''], /^streamform: validate: --file needs a value, got an empty one$/],
    ['a bad choice', () => ['drift', '--format', 'html'], /^streamform: drift: --format must be one of text, json, markdown, github, got 'html'$/],
    ['a missing config', () => ['drift', '-f', 'nope.yaml'], /^streamform: nope\.yaml: no such file or folder$/],
    ['a missing plan file', () => ['apply', 'nope.json'], /^streamform: apply: cannot read plan file nope\.json: no such file$/],
    ['an unreadable plan file', () => ['apply', 'garbage.json'], /^streamform: garbage\.json: not valid JSON/],
    ['a config given as a plan file', () => ['apply', 'streamform.yaml'], /^streamform: apply: streamform\.yaml is a config, not a saved plan; apply a config with 'streamform apply -f streamform\.yaml'$/],
    ['one config for diff', () => ['diff', 'streamform.yaml'], /^streamform: diff: expected two configs, BASE and HEAD, got 1/],
    [
      'an endpoint that refuses connections (plan)',
      () => ['plan', '--endpoint', refused],
      /^streamform: cannot list the account's stacks \(DescribeStacks\): cannot connect to http:\/\/127\.0\.0\.1:\d+: connection refused$/,
    ],
    ['an endpoint that refuses connections (import)', () => ['import', '--endpoint', refused], /^streamform: import: cannot describe the account: cannot connect to http:\/\/127\.0\.0\.1:\d+: connection refused$/],
    [
      'no credentials for a non-loopback endpoint',
      () => ['apply', '--yes', '--endpoint', 'http://192.0.2.1:4577'],
      /^streamform: cannot list the account's stacks \(DescribeStacks\): no usable AWS credentials \(.+\); use --profile or AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY$/,
    ],
  ];

  it.each(cases)('%s: one line on stderr, exit 1', async (_, args, message) => {
    const result = await run(args());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
  });

  it('lists every problem of a wrong config, whichever command loads it', async () => {
    const problems =
      'invalid.yaml:5:5: stacks[0].DisplayNam: unknown property (did you mean DisplayName?)\n' +
      'invalid.yaml:6:5: stacks[1]: stack "design" is declared twice (first at line 4)\n' +
      '2 errors in the config\n';
    for (const args of [['validate'], ['apply', '--yes', '--endpoint', refused], ['drift', '--endpoint', refused]]) {
      const [command, ...rest] = args;
      expect(await run([command, '-f', 'invalid.yaml', ...rest]), command).toEqual({ code: 1, stdout: '', stderr: problems });
    }
  });
});

describe('output layout', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.close());

  it('apply puts the record of the run on stdout, a blank line after the plan it shows', async () => {
    const result = await run(['apply', '--yes', '--endpoint', emulator.url]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^Plan for project "cli-test" in us-east-1, /);
    expect(result.stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.\n\nApplying 1 call to 1 resource.\n');
    expect(result.stdout).toMatch(/\nApply complete: 1 succeeded, 0 failed, 0 skipped, in \S+\.\n$/);
  });
});
