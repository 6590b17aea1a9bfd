/**
 * Only what the config needs is loaded: each kind's reads and each service's SDK client load on
 * first use, so a plan of stacks alone never loads the Nimble or STS clients.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const CLI = resolve('dist/src/cli/main.js');
let dir: string;
let emulator: TestEmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-loading-'));
  // Records every SDK client package the process loads (they are CommonJS, loaded through Module._load).
  writeFileSync(
    join(dir, 'trace.cjs'),
    `const Module = require('module');
const seen = new Set();
const load = Module._load;
Module._load = function (request, ...rest) {
  const m = /^@aws-sdk\\/client-[a-z-]+/.exec(request);
  if (m) seen.add(m[0]);
  return load.call(this, request, ...rest);
};
process.on('exit', () => require('fs').writeFileSync(process.env.TRACE_FILE, JSON.stringify([...seen].sort())));
`,
  );
  emulator = await startTestEmulator({ state: { appstream: { stacks: [{ Name: 'design' }] }, nimble: { studios: [{ studioId: 'st-1' }] } } });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The SDK clients `streamform plan` loads for this config. */
async function clientsLoadedBy(name: string, yaml: string): Promise<string[]> {
  writeFileSync(join(dir, name), yaml);
  const trace = join(dir, `${name}.trace.json`);
  // The emulator serves from this process: run the child asynchronously so that it can answer.
  const { spawn } = await import('node:child_process');
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, ['--require', join(dir, 'trace.cjs'), CLI, 'plan', '-f', name, '--endpoint', emulator.url, '--region', 'us-east-1', '--format', 'json'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TRACE_FILE: trace, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: 'ignore',
    });
    child.on('close', done);
  });
  expect(code).toBe(0);
  return JSON.parse(readFileSync(trace, 'utf8')) as string[];
}

describe('what a plan loads', () => {
  test('a config of stacks alone loads neither the Nimble, the STS nor the secret stores\' clients', async () => {
    const loaded = await clientsLoadedBy('stacks.yaml', 'version: 1\nproject: p\nstacks:\n  - Name: design\n');
    expect(loaded).toContain('@aws-sdk/client-appstream');
    for (const client of ['nimble', 'sts', 'secrets-manager', 'ssm']) expect(loaded).not.toContain(`@aws-sdk/client-${client}`);
  });

  test('a config with streaming images loads the Nimble client', async () => {
    const loaded = await clientsLoadedBy('nimble.yaml', 'version: 1\nproject: p\nstreamingImages:\n  - { StudioId: st-1, Name: base, Ec2ImageId: ami-0123456789abcdef0 }\n');
    expect(loaded).toContain('@aws-sdk/client-nimble');
  });

  test('the tracer sees what it is meant to see (the check is not vacuous)', () => {
    expect(spawnSync(process.execPath, ['--require', join(dir, 'trace.cjs'), '-e', "require('@aws-sdk/client-sts')"], { env: { ...process.env, TRACE_FILE: join(dir, 'probe.json') }, cwd: resolve('.') }).status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8'))).toEqual(['@aws-sdk/client-sts']);
  });
});
