/**
 * The package as a user gets it: `npm pack` of a copy of these sources (its prepack builds them),
 * `npm install --global` of the tarball into a temporary prefix, and every command run from a
 * folder outside the repository, against the installed emulator in its own process. The
 * dependencies come from npm's cache when it has them (`--prefer-offline`), else the registry.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const COMMANDS = ['validate', 'plan', 'apply', 'show', 'drift', 'diff', 'import', 'emulator', 'demo', 'completion'];

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): Promise<Result> {
  return new Promise((done) => {
    execFile(file, args, { ...options, timeout: options.timeout ?? 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The environment of a user's shell: none of the npm_* settings that `npm test` passes down. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const keep = Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) || /^npm_config_(cache|registry|userconfig)$/i.test(name));
  return { ...Object.fromEntries(keep), CI: 'true', NO_COLOR: '1', AWS_EC2_METADATA_DISABLED: 'true', npm_config_update_notifier: 'false', ...extra };
}

let work: string;
let prefix: string;
/** A folder outside the repository, where the user runs streamform. */
let outside: string;
let tarballFiles: string[];
let installLog: string;
let emulatorProcess: ChildProcess | undefined;
let url: string;

const bin = () => join(prefix, 'bin', 'streamform');
const streamform = (args: string[], env: Record<string, string> = {}) => exec(bin(), args, { cwd: outside, env: userEnv(env) });

/** The sources as a fresh clone has them: what git tracks or would track, as they are now. */
function copySources(to: string): void {
  // Synchronous is fine: nothing else runs in this process while the package is prepared.
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  for (const file of listed.split('\0').filter(Boolean)) {
    const from = join(ROOT, file);
    // Deleted and not committed yet; or not a file, as a node_modules link beside a worktree is.
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    copyFileSync(from, join(to, file));
  }
  // Building needs the dev dependencies; the installed package gets its own.
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(to, 'node_modules'));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'streamform-package-'));
  const sources = join(work, 'sources');
  prefix = join(work, 'prefix');
  outside = join(work, 'outside');
  for (const dir of [sources, prefix, outside]) mkdirSync(dir);
  copySources(sources);

  const packed = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: sources, env: userEnv(), timeout: 120_000 });
  expect(packed.code, packed.stderr).toBe(0);
  const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  tarballFiles = manifest.files.map((f) => f.path).sort();

  const installed = await exec('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(work, manifest.filename)], {
    cwd: outside,
    env: userEnv(),
    timeout: 120_000,
  });
  installLog = installed.stdout + installed.stderr;
  expect(installed.code, installLog).toBe(0);

  writeFileSync(join(outside, 'state.yaml'), 'appstream:\n  stacks:\n    - { Name: legacy, Tags: { team: ops } }\n');
  const emulator = spawn(bin(), ['emulator', '--port', '0', '--state', 'state.yaml'], { cwd: outside, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  emulatorProcess = emulator;
  url = await new Promise<string>((listening, failed) => {
    let out = '';
    emulator.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) listening(match[1]);
    });
    emulator.once('exit', (code) => failed(new Error(`the installed emulator exited (${code}) before listening`)));
  });
}, 180_000);

afterAll(async () => {
  if (emulatorProcess && emulatorProcess.exitCode === null) {
    const exited = new Promise((done) => emulatorProcess!.once('exit', done));
    emulatorProcess.kill('SIGTERM');
    await exited;
  }
  // The installed package is a few thousand files: removing them takes a while on a busy disk.
  if (work) await rm(work, { recursive: true, force: true });
}, 120_000);

describe('the package', () => {
  it('holds the program, what it reads at run time, the licence and the docs, and no sources or tests', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/src/cli/main.js', 'dist/schema/streamform.schema.json', 'schema/streamform.schema.json', 'dist/src/facts/appstream.json', 'examples/demo/streamform.yaml', 'examples/demo/state.yaml']) {
      expect(tarballFiles, file).toContain(file);
    }
    expect(tarballFiles.filter((file) => /^(src|test|bench|scripts|dist\/bench)\/|\.ts$|^\.ci\//.test(file))).toEqual([]);
    const license = readFileSync(join(prefix, 'lib/node_modules/streamform/LICENSE'), 'utf8');
    expect(license).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  it('installs without running any script of its own', () => {
    const { scripts } = JSON.parse(readFileSync(join(prefix, 'lib/node_modules/streamform/package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(scripts).filter((name) => /^(pre|post)?install$|^prepare$/.test(name))).toEqual([]);
    expect(installLog).not.toMatch(/install-scripts|prepare/);
  });
});

describe('the installed streamform, run outside the repository', () => {
  it('prints its usage, its version and the usage of every command', async () => {
    const usage = await streamform(['--help']);
    expect(usage.code).toBe(0);
    for (const command of COMMANDS) expect(usage.stdout).toContain(`  ${command} `);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await streamform(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const helps = await Promise.all(COMMANDS.map((command) => streamform([command, '--help'])));
    helps.forEach((help, i) => expect(help, COMMANDS[i]).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(new RegExp(`^Usage: streamform ${COMMANDS[i]}\\b`)) }));
  });

  it('validates, plans, shows, applies, checks drift and diffs against the installed emulator', async () => {
    writeFileSync(join(outside, 'streamform.yaml'), 'version: 1\nproject: packaged\nregion: us-east-1\nstacks:\n  - Name: design\n    DisplayName: Design\n');
    writeFileSync(join(outside, 'next.yaml'), 'version: 1\nproject: packaged\nregion: us-east-1\nstacks:\n  - Name: design\n    DisplayName: Design team\n');
    expect(await streamform(['validate'])).toEqual({ code: 0, stdout: 'ok: 1 stack, 0 fleets, 0 images, 0 image builders, 0 streaming images in 1 file\n', stderr: '' });
    expect(JSON.parse((await streamform(['validate', '--format', 'json'])).stdout)).toMatchObject({ valid: true, project: 'packaged' });

    const planned = await streamform(['plan', '--endpoint', url, '--out', 'plan.json', '--detailed-exitcode']);
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stderr).toBe('Saved the plan to plan.json; run `streamform apply plan.json`\n');
    expect((await streamform(['show', 'plan.json'])).stdout).toBe(planned.stdout);

    const applied = await streamform(['apply', 'plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 1 succeeded, 0 failed, 0 skipped');
    expect(await streamform(['drift', '--endpoint', url])).toMatchObject({ code: 0 });

    const diff = await streamform(['diff', 'streamform.yaml', 'next.yaml', '--detailed-exitcode']);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain('stack/design');
  });

  it('imports the account into a config whose schema modeline points into the installed package', async () => {
    const imported = await streamform(['import', '--endpoint', url, '--region', 'us-east-1', '--project', 'packaged', '--out', 'imported.yaml']);
    expect(imported, imported.stderr).toMatchObject({ code: 0, stderr: '' });
    const yaml = readFileSync(join(outside, 'imported.yaml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(yaml)![1];
    expect(realpathSync(resolve(outside, schema))).toBe(realpathSync(join(prefix, 'lib/node_modules/streamform/schema/streamform.schema.json')));
    expect(yaml).toContain('Name: legacy');
    expect(await streamform(['validate', '-f', 'imported.yaml'])).toMatchObject({ code: 0 });
  });

  it('runs the demo, which finds its files inside the package', async () => {
    const demo = await exec(bin(), ['demo'], { cwd: outside, env: userEnv(), timeout: 60_000 });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/Apply complete: \d+ succeeded, 0 failed, 0 skipped/);
    expect(demo.stdout.trimEnd().split('\n').at(-1)).toBe('No changes.');
  }, 60_000);

  it('prints completion scripts', async () => {
    const bash = await streamform(['completion', 'bash']);
    expect(bash).toMatchObject({ code: 0, stderr: '' });
    expect(bash.stdout).toContain('complete -o default -F _streamform streamform');
  });
});
