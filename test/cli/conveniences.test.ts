/**
 * The CLI's conveniences, through the built CLI (`npx tsc -p .` first; `npm test` does): `show`,
 * `validate --format json`, the note after `plan --out`, `completion` (run in bash, fish and zsh
 * themselves), "did you mean" for a misspelt command, and STREAMFORM_CONFIG.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const CLI = resolve('dist/src/cli/main.js');
const COMMANDS = ['validate', 'plan', 'apply', 'merge', 'show', 'drift', 'diff', 'import', 'emulator', 'demo', 'completion'];

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let emulator: TestEmulator;

function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const base = { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env: { ...base, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

/** Exit 1 with exactly this one line on stderr and nothing on stdout. */
function refused(result: Result, line: string): void {
  expect(result).toEqual({ code: 1, stdout: '', stderr: `${line}\n` });
}

const CONFIG = 'version: 1\nproject: conveniences\nregion: us-east-1\nstacks:\n  - Name: design\n';
const MORE = 'version: 1\nproject: conveniences\nstacks:\n  - Name: review\n';
const INVALID = 'version: 1\nproject: conveniences\nstacks:\n  - Name: design\n    DisplayNam: Design\n  - Name: design\n';

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
  dir = mkdtempSync(join(tmpdir(), 'streamform-conveniences-'));
  writeFileSync(join(dir, 'streamform.yaml'), CONFIG);
  writeFileSync(join(dir, 'more.yaml'), MORE);
  writeFileSync(join(dir, 'invalid.yaml'), INVALID);
  writeFileSync(join(dir, 'garbage.json'), '{"formatVersion": ');
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => emulator.setState({}));

describe('a misspelt command', () => {
  it('suggests the command it is closest to', async () => {
    refused(await run(['paln']), "streamform: unknown command 'paln'; did you mean 'plan'?");
    refused(await run(['valdiate', '-f', 'x.yaml']), "streamform: unknown command 'valdiate'; did you mean 'validate'?");
    refused(await run(['sho']), "streamform: unknown command 'sho'; did you mean 'show'?");
  });

  it('lists the commands when none is close', async () => {
    refused(await run(['deploy']), `streamform: unknown command 'deploy' (commands: ${COMMANDS.join(', ')})`);
  });
});

describe('validate --format json', () => {
  it('describes a valid config', async () => {
    const result = await run(['validate', '-f', 'streamform.yaml', '-f', 'more.yaml', '--format', 'json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: '1',
      valid: true,
      project: 'conveniences',
      files: ['streamform.yaml', 'more.yaml'],
      summary: expect.objectContaining({ stacks: 2, images: 0, streamingImages: 0, fleets: 0 }),
      diagnostics: [],
    });
  });

  it('lists every problem with its file, line, column and path on stdout, and counts them on stderr', async () => {
    const result = await run(['validate', '-f', 'invalid.yaml', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('streamform: validate: 2 errors in the config\n');
    expect(JSON.parse(result.stdout)).toEqual({
      formatVersion: '1',
      valid: false,
      diagnostics: [
        { severity: 'error', file: 'invalid.yaml', line: 5, column: 5, path: 'stacks[0].DisplayNam', pointer: '/stacks/0/DisplayNam', message: 'unknown property (did you mean DisplayName?)' },
        { severity: 'error', file: 'invalid.yaml', line: 6, column: 5, path: 'stacks[1]', pointer: '/stacks/1', message: 'stack "design" is declared twice (first at line 4)' },
      ],
    });
  });

  it('keeps the text form by default, and a problem outside any file one line on stderr', async () => {
    expect(await run(['validate'])).toEqual({ code: 0, stdout: 'ok: 1 stack in 1 file\n', stderr: '' });
    refused(await run(['validate', '-f', 'nope.yaml', '--format', 'json']), 'streamform: nope.yaml: no such file or folder');
    refused(await run(['validate', '--format', 'yaml']), "streamform: validate: --format must be one of text, json, got 'yaml'");
  });
});

describe('plan --out', () => {
  it('says where the plan went and how to apply it, quoting the path for the shell', async () => {
    const saved = await run(['plan', '--endpoint', emulator.url, '--out', 'p.json']);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toBe('Saved the plan to p.json; run `streamform apply p.json`\n');
    const spaced = await run(['plan', '--endpoint', emulator.url, '--out', "it's a plan.json", '--format', 'markdown']);
    expect(spaced.stderr).toBe("Saved the plan to it's a plan.json; run `streamform apply 'it'\\''s a plan.json'`\n");
  });

  it('says so when there is nothing to apply, or when apply would refuse the plan', async () => {
    expect((await run(['apply', '--yes', '--endpoint', emulator.url])).code).toBe(0);
    expect((await run(['plan', '--endpoint', emulator.url, '--out', 'p.json'])).stderr).toBe('Saved the plan to p.json; it has no changes to apply\n');
    await emulator.setState({ appstream: { stacks: [{ Name: 'design', Tags: { 'streamform:project': 'someone-else' } }] } });
    const failed = await run(['plan', '--endpoint', emulator.url, '--out', 'p.json']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('Saved the plan to p.json; it has errors, so `streamform apply p.json` would refuse it\n');
  });

  it('leaves stderr to errors when the caller is a program (--format json)', async () => {
    const result = await run(['plan', '--endpoint', emulator.url, '--out', 'p.json', '--format', 'json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});

describe('show PLANFILE', () => {
  it('prints a saved plan exactly as plan printed it, in each format', async () => {
    const planned = await run(['plan', '--endpoint', emulator.url, '--out', 'show.json', '--comment-file', 'show.md']);
    expect(planned.code).toBe(0);
    expect(await run(['show', 'show.json'])).toEqual({ code: 0, stdout: planned.stdout, stderr: '' });
    expect(await run(['show', 'show.json', '--format', 'json'])).toEqual({ code: 0, stdout: readFileSync(join(dir, 'show.json'), 'utf8'), stderr: '' });
    expect(await run(['show', '--format', 'markdown', 'show.json'])).toEqual({ code: 0, stdout: readFileSync(join(dir, 'show.md'), 'utf8'), stderr: '' });
  });

  it('refuses what is not one readable plan file, in one line', async () => {
    refused(await run(['show']), "streamform: show: expected one plan file, got 0 (see 'streamform show --help')");
    refused(await run(['show', 'a.json', 'b.json']), "streamform: show: expected one plan file, got 2 (a.json, b.json) (see 'streamform show --help')");
    refused(await run(['show', 'nope.json']), 'streamform: show: cannot read plan file nope.json: no such file');
    refused(await run(['show', 'streamform.yaml']), "streamform: show: streamform.yaml is a config, not a saved plan; plan it with 'streamform plan -f streamform.yaml'");
    expect((await run(['show', 'garbage.json'])).stderr).toMatch(/^streamform: garbage\.json: not valid JSON \(.+\)\n$/);
    refused(await run(['show', 'garbage.json', '--format', 'html']), "streamform: show: --format must be one of text, json, markdown, got 'html'");
  });
});

describe('STREAMFORM_CONFIG', () => {
  it('is the default of -f: paths separated like PATH', async () => {
    const result = await run(['validate'], { STREAMFORM_CONFIG: 'streamform.yaml:more.yaml' });
    expect(result).toEqual({ code: 0, stdout: 'ok: 2 stacks in 2 files\n', stderr: '' });
    const planned = await run(['plan', '--endpoint', emulator.url, '--format', 'json'], { STREAMFORM_CONFIG: 'more.yaml' });
    expect(JSON.parse(planned.stdout).configFiles).toEqual(['more.yaml']);
  });

  it('gives way to -f, to a saved plan (which names its own config) and to an empty value', async () => {
    expect((await run(['validate', '-f', 'streamform.yaml'], { STREAMFORM_CONFIG: 'invalid.yaml' })).code).toBe(0);
    expect((await run(['validate', '--file=streamform.yaml'], { STREAMFORM_CONFIG: 'invalid.yaml' })).code).toBe(0);
    expect((await run(['validate'], { STREAMFORM_CONFIG: '' })).stdout).toContain('in 1 file');
    expect((await run(['plan', '--endpoint', emulator.url, '--out', 'env.json'])).code).toBe(0);
    const applied = await run(['apply', 'env.json'], { STREAMFORM_CONFIG: 'invalid.yaml' });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 1 succeeded');
  });

  it('names itself when a path it gives does not exist', async () => {
    refused(await run(['drift', '--endpoint', emulator.url], { STREAMFORM_CONFIG: 'streamform.yaml::gone.yaml' }), 'streamform: drift: STREAMFORM_CONFIG names gone.yaml, which does not exist');
  });
});

describe('completion', () => {
  /** Every command's flags, as its --help names them. */
  async function helpFlags(): Promise<Map<string, readonly string[]>> {
    const entries = await Promise.all(
      COMMANDS.map(async (command) => {
        const { stdout } = await run([command, '--help']);
        const lines = stdout.split('\n').filter((line) => /^(Usage:|\s+[-[])/.test(line));
        const flags = lines.flatMap((line) => [...line.replace(/'[^']*'/g, '').matchAll(/(?<![\w-])(--[a-z][a-z-]*|-[a-z])\b/g)].map((m) => m[1]));
        return [command, [...new Set(flags)]] as const;
      }),
    );
    return new Map(entries);
  }

  it('names every command and each flag its --help names, in every shell', async () => {
    const flags = await helpFlags();
    expect([...flags.values()].flat().length).toBeGreaterThan(40);
    for (const shell of ['bash', 'zsh', 'fish']) {
      const { code, stdout, stderr } = await run(['completion', shell]);
      expect({ code, stderr }, shell).toEqual({ code: 0, stderr: '' });
      for (const [command, names] of flags) {
        // Each shell's script has one line (bash, zsh) or one line a flag (fish) per command.
        const lines = stdout.split('\n').filter((line) => line.includes(shell === 'fish' ? `__fish_seen_subcommand_from ${command}'` : `    ${command}) `));
        expect(lines.length, `${shell} ${command}`).toBeGreaterThan(0);
        const text = lines.join('\n');
        for (const flag of names) {
          const spelled = shell !== 'fish' ? flag : flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
          expect(text, `${shell}: ${command} ${flag}`).toMatch(new RegExp(`[\\s'(*]${spelled.replace(/[-]/g, '\\-')}(?![\\w-])`));
        }
      }
    }
  });

  it('refuses an unknown shell in one line', async () => {
    refused(await run(['completion', 'ksh']), "streamform: completion: expected one shell, bash, zsh or fish, got 'ksh'");
    refused(await run(['completion']), 'streamform: completion: expected one shell, bash, zsh or fish, got nothing');
  });

  it('completes in bash', async () => {
    writeFileSync(join(dir, 'completion.bash'), (await run(['completion', 'bash'])).stdout);
    const driver = `source completion.bash
complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _streamform; echo "\${COMPREPLY[*]}"; }
complete_words streamform pl
complete_words streamform s
complete_words streamform plan --detailed
complete_words streamform apply --pr
complete_words streamform completion ''
complete_words streamform plan --out ''
complete -p streamform`;
    const lines = execFileSync('bash', ['--norc', '-c', driver], { cwd: dir, encoding: 'utf8' }).split('\n');
    expect(lines.slice(0, 7)).toEqual(['plan', 'show', '--detailed-exitcode', '--profile --prune', 'bash zsh fish', '', 'complete -o default -F _streamform streamform']);
  });

  const shells = { fish: spawnSync('fish', ['--version']).status === 0, zsh: spawnSync('zsh', ['--version']).status === 0 && spawnSync('tmux', ['-V']).status === 0 };
  const required = process.env.STREAMFORM_REQUIRE_SHELLS === '1';
  const inShell = (present: boolean) => (present || required ? it : it.skip);

  inShell(shells.fish)(`completes in fish${shells.fish ? '' : ': SKIPPED, fish is not installed (STREAMFORM_REQUIRE_SHELLS=1 makes this a failure)'}`, async () => {
    writeFileSync(join(dir, 'completion.fish'), (await run(['completion', 'fish'])).stdout);
    const ask = (line: string) => `complete -C${JSON.stringify(line)}`;
    const script = ['source completion.fish', ask('streamform pl'), 'echo ==', ask('streamform plan --detailed'), 'echo ==', ask('streamform completion ')].join('; ');
    const out = execFileSync('fish', ['--no-config', '-c', script], { cwd: dir, encoding: 'utf8' });
    expect(out.split('\n==\n')).toEqual(['plan\tshow the API calls that would make AWS match the config', '--detailed-exitcode', 'bash\nfish\nzsh\n']);
  });

  inShell(shells.zsh)(`completes in zsh${shells.zsh ? '' : ': SKIPPED, zsh or tmux is not installed (STREAMFORM_REQUIRE_SHELLS=1 makes this a failure)'}`, async () => {
    // An interactive zsh in a private tmux server, typing Tab as a person does.
    const home = join(dir, 'zsh');
    mkdirSync(join(home, 'bin'), { recursive: true });
    writeFileSync(join(home, 'completion.zsh'), (await run(['completion', 'zsh'])).stdout);
    writeFileSync(join(home, '.zshrc'), "autoload -Uz compinit && compinit -u -d $ZDOTDIR/.zcompdump\nsource $ZDOTDIR/completion.zsh\nPROMPT='zsh> '\n");
    writeFileSync(join(home, 'bin', 'streamform'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(join(home, 'bin', 'streamform'), 0o755);
    const socket = `streamform-zsh-${process.pid}`;
    const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    const screenWith = async (text: string) => {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        const screen = tmux('capture-pane', '-p', '-t', 'zsh');
        if (screen.includes(text)) return screen;
      }
      throw new Error(`zsh never showed ${JSON.stringify(text)}:\n${tmux('capture-pane', '-p', '-t', 'zsh')}`);
    };
    tmux('new-session', '-d', '-s', 'zsh', '-x', '150', '-y', '30', `cd ${JSON.stringify(home)} && ZDOTDIR=${JSON.stringify(home)} PATH=${JSON.stringify(`${home}/bin:${process.env.PATH}`)} exec zsh -i`);
    try {
      // capture-pane drops trailing blanks: each text ends where the typing did.
      await screenWith('zsh>');
      tmux('send-keys', '-t', 'zsh', 'streamform pl', 'Tab');
      await screenWith('zsh> streamform plan');
      tmux('send-keys', '-t', 'zsh', '--', '--detailed', 'Tab');
      await screenWith('zsh> streamform plan --detailed-exitcode');
      tmux('send-keys', '-t', 'zsh', 'C-u', 'streamform completion ', 'Tab');
      expect(await screenWith('fish')).toMatch(/bash\s+fish\s+zsh/);
      tmux('send-keys', '-t', 'zsh', 'C-u', 'streamform ', 'Tab');
      expect(await screenWith('validate')).toContain('show        -- print a plan saved with plan --out again');
    } finally {
      tmux('kill-server');
    }
  });
});
