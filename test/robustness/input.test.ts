/**
 * Input too large or too many to take in at once: a config folder with more files than the process
 * may open, a config or a saved plan too large to read. The built CLI (`npx tsc -p .` first).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPEN_FILES } from '../../src/config/files.js';
import { streamform } from '../apply/cli.js';

const CLI = resolve('dist/src/cli/main.js');
const MB = 1024 * 1024;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `streamform ARGS` in a shell whose descriptor limit is `limit`. */
function withDescriptorLimit(limit: number, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = `ulimit -n ${limit} && exec "$0" "$@"`;
  return new Promise((done) => {
    execFile('/bin/sh', ['-c', command, process.execPath, CLI, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('a config folder with more files than the process may open', () => {
  it('is read a few files at a time', async () => {
    const limit = 128;
    const folder = join(dir, 'many');
    mkdirSync(folder);
    const files = 3 * limit;
    for (let i = 0; i < files; i++) writeFileSync(join(folder, `team-${i}.yaml`), `version: 1\nproject: many\nstacks:\n  - Name: stack-${i}\n`);
    expect(MAX_OPEN_FILES).toBeLessThan(limit / 2);
    const result = await withDescriptorLimit(limit, ['validate', '-f', folder]);
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, stdout: `ok: ${files} stacks, 0 fleets, 0 images, 0 image builders, 0 streaming images in ${files} files\n` });
  });
});

describe('sizes', () => {
  it('refuses a config whose files together pass the limit, before reading them', async () => {
    const folder = join(dir, 'large');
    mkdirSync(folder);
    // Sparse files: their size is what counts, and none of them is read.
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(folder, `part-${i}.yaml`), '');
      truncateSync(join(folder, `part-${i}.yaml`), 4.5 * MB);
    }
    expect(await streamform(['validate', '-f', folder], dir)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: "streamform: the config's 5 files hold 22.5 MB together; the limit is 20 MB\n",
    });
  });

  it('refuses a plan file over the limit, saying the limit', async () => {
    const plan = join(dir, 'huge-plan.json');
    writeFileSync(plan, '');
    truncateSync(plan, 51 * MB);
    expect(await streamform(['apply', 'huge-plan.json'], dir)).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'streamform: apply: plan file huge-plan.json is 51 MB; the limit is 50 MB\n',
    });
  });
});
