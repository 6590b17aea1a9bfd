import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built CLI, as users run it (`npm test` builds before running the tests).
const CLI = resolve('dist/src/cli/main.js');
const INVALID = 'test/fixtures/config/invalid';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p .' (npm test does) before these tests`);
});

const scratch = mkdtempSync(join(tmpdir(), 'streamform-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function validate(args: string[], cwd = process.cwd()) {
  // No credentials and no region: validate must not need them.
  const env = { PATH: process.env.PATH, NO_COLOR: '1', HOME: scratch };
  const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, 'validate', ...args], { cwd, env, encoding: 'utf8' });
  return { status, stdout, stderr };
}

describe('streamform validate', () => {
  it('prints what a valid config declares and exits 0', () => {
    expect(validate(['-f', 'examples'])).toEqual({ status: 0, stdout: 'ok: 4 stacks, 3 fleets, 2 images, 2 image builders, 1 streaming image, 2 users, 2 applications in 6 files\n', stderr: '' });
  });

  it('prints every problem as file:line:column: path: message and exits 1', () => {
    const file = `${INVALID}/many-problems.yaml`;
    const result = validate(['-f', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      `${file}:3:9: region: expected a value matching ^[a-z]{2}(-[a-z]+)+-[0-9]+$, found "mars-1"`,
      `${file}:6:18: stacks[0].DisplayName: expected a string or null, found the number 42; put it in quotes to make it a string`,
      `${file}:7:17: stacks[0].Fleets[1]: fleet "a" is declared twice (first at line 7)`,
      `${file}:8:5: stacks[1]: stack "design" is declared twice (first at line 5)`,
      `${file}:9:18: stacks[1].RedirectURL: expected a string or null, found a list`,
      `${file}:11:5: images[0].Name: required property is missing`,
      `${file}:11:5: images[0].Nam: unknown property (did you mean Name?)`,
      '7 errors in the config',
      '',
    ]);
  });

  it('rejects binary input with one line and no stack trace', () => {
    const file = `${INVALID}/binary-garbage.yaml`;
    const result = validate(['-f', file, '-f', `${INVALID}/billion-laughs.yaml`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `${file}:1:1: file is not UTF-8 text\n` +
        `${INVALID}/billion-laughs.yaml:7:36: aliases expand to more than 100000 values; refusing a possible billion-laughs file\n` +
        '2 errors in the config\n',
    );
  });

  it('uses streamform.yaml of the working directory without -f, and explains what to do without one', () => {
    const dir = mkdtempSync(join(scratch, 'cwd-'));
    expect(validate([], dir)).toEqual({
      status: 1,
      stdout: '',
      stderr: "streamform: validate: no config given; pass -f FILE|DIR, or run it in a folder that has streamform.yaml\n",
    });
    writeFileSync(join(dir, 'streamform.yaml'), 'version: 1\nproject: here\nstacks: [{ Name: design }]\n');
    expect(validate([], dir)).toEqual({ status: 0, stdout: 'ok: 1 stack in 1 file\n', stderr: '' });
  });

  it('names a path it cannot read, and a flag it does not know, in one line', () => {
    expect(validate(['-f', 'no/such/file.yaml'])).toEqual({ status: 1, stdout: '', stderr: 'streamform: no/such/file.yaml: no such file or folder\n' });
    const flag = validate(['--files', 'x']);
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/^streamform: validate: Unknown option '--files' \(see 'streamform validate --help'\)\n$/);
  });

  it('has help', () => {
    const help = validate(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: streamform validate \[-f FILE\|DIR\]\.\.\./);
  });
});

describe('what validate loads', () => {
  /** The modules a source file imports at run time (type-only imports are erased), followed to the end. */
  function runtimeImports(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    const source = readFileSync(entry, 'utf8');
    for (const [, specifier] of source.matchAll(/^import\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      if (specifier.startsWith('.')) runtimeImports(resolve(dirname(entry), specifier.replace(/\.js$/, '.ts')), seen);
      else seen.add(specifier);
    }
    // A module that takes SDK commands at its top level (`const { … } = appstreamSdk();`) loads the SDK with it.
    for (const [, loader] of source.matchAll(/^const \{[^}]*\} = (\w+Sdk|smithy\w+)\(\);$/gm)) seen.add(`sdk:${loader}`);
    return seen;
  }

  it('never loads the AWS SDK, React, Ink or ajv, so it starts fast and needs no credentials', () => {
    const modules = [...runtimeImports(resolve('src/commands/validate.ts'))];
    expect(modules).toContain(resolve('src/config/load.ts'));
    // node:module is src/aws/sdk.ts's createRequire: its loaders require the SDK only when called.
    expect(modules.filter((m) => !m.startsWith('/')).sort()).toEqual(['node:crypto', 'node:fs', 'node:fs/promises', 'node:module', 'node:path', 'node:util', 'yaml']);
  });
});
