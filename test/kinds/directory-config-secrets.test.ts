/**
 * A secret's value appears nowhere streamform writes: every output format of plan, show and drift,
 * the saved plan, the comment file, apply's log (success and failure), debug output, the terminal
 * view, the record file, and the emulator's call log as GET /_emulator/calls returns it. The built
 * CLI runs in a child process against an in-process emulator that holds the secrets.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createElement } from 'react';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlanApp } from '../../src/ui/PlanApp.js';
import type { Plan } from '../../src/core/plan.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { KEY, press } from '../ui/ink.js';

const CLI = resolve('dist/src/cli/main.js');
const SM_NAME = 'CORP\\svc-join-Qz81';
const SM_PASSWORD = 'Sm-Secret-Value-7Yh2';
const ENV_PASSWORD = 'Env-Secret-Value-Kp4x';
const FILE_NAME = 'File-Account-Name-Ww3r';
const SSM_PASSWORD = 'Ssm-Secret-Value-Lm9c';
const SECRETS = [SM_NAME, SM_PASSWORD, ENV_PASSWORD, FILE_NAME, SSM_PASSWORD];

const CONFIG = `version: 1
project: leak
directoryConfigs:
  - DirectoryName: corp.example.com
    OrganizationalUnitDistinguishedNames: ["OU=a,DC=corp"]
    ServiceAccountCredentials:
      AccountName: { FromSecretsManager: corp/ad, Key: username }
      AccountPassword: { FromSecretsManager: corp/ad, Key: password }
  - DirectoryName: lab.example.com
    OrganizationalUnitDistinguishedNames: ["OU=lab,DC=corp"]
    ServiceAccountCredentials:
      AccountName: { FromFile: name.txt }
      AccountPassword: { FromEnv: DC_PASSWORD }
  - DirectoryName: ssm.example.com
    OrganizationalUnitDistinguishedNames: []
    ServiceAccountCredentials:
      AccountName: { FromFile: name.txt }
      AccountPassword: { FromSsmParameter: /corp/ad/password }
`;

let em: TestEmulator;
let dir: string;
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first with 'npx tsc -p .'`);
  em = await startTestEmulator({ transitionMs: 20 });
  await em.setState({
    secretsmanager: { secrets: [{ Name: 'corp/ad', SecretString: JSON.stringify({ username: SM_NAME, password: SM_PASSWORD }) }] },
    ssm: { parameters: [{ Name: '/corp/ad/password', Type: 'SecureString', Value: SSM_PASSWORD }] },
  });
  dir = mkdtempSync(join(tmpdir(), 'streamform-secrets-'));
  writeFileSync(join(dir, 'streamform.yaml'), CONFIG);
  writeFileSync(join(dir, 'name.txt'), `${FILE_NAME}\n`);
});
afterAll(async () => {
  cleanup();
  await em.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  out: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true', DC_PASSWORD: ENV_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

/** Every place a secret was found, as "where: which". */
function leaks(where: string, text: string): string[] {
  return SECRETS.filter((secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))).map((secret) => `${where}: ${secret}`);
}

describe('secret values', () => {
  it('appear in no output, file or call log', { timeout: 60_000 }, async () => {
    const endpoint = ['--endpoint', em.url];
    const found: string[] = [];
    const run = async (label: string, args: string[], env?: Record<string, string>) => {
      const result = await cli(args, env);
      found.push(...leaks(label, result.out));
      return result;
    };
    expect((await run('validate', ['validate'])).code).toBe(0);
    for (const format of ['text', 'json', 'markdown']) expect((await run(`plan ${format}`, ['plan', ...endpoint, '--format', format])).code).toBe(0);
    expect((await run('plan debug', ['plan', ...endpoint], { STREAMFORM_DEBUG: '1' })).code).toBe(0);
    expect((await run('plan --out', ['plan', ...endpoint, '--out', 'p.json', '--comment-file', 'comment.md'])).code).toBe(0);
    for (const format of ['text', 'json', 'markdown']) await run(`show ${format}`, ['show', 'p.json', '--format', format]);
    await run('drift', ['drift', ...endpoint, '--format', 'github']);

    const plan = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8')) as Plan;
    expect(plan.calls.map((c) => c.operation)).toEqual(['CreateDirectoryConfig', 'CreateDirectoryConfig', 'CreateDirectoryConfig']);
    expect(JSON.stringify(plan.calls)).toContain('"$secret":{"FromEnv":"DC_PASSWORD"}');

    // The terminal view, every resource expanded and the calls shown.
    const app = render(createElement(PlanApp, { plan, mode: 'browse', onExit: () => {} }));
    for (let i = 0; i < plan.changes.length; i++) await press(app, KEY.enter, 'j');
    await press(app, 'c');
    found.push(...leaks('terminal view', app.frames.join('\n')));

    const applied = await run('apply PLAN', ['apply', 'p.json', ...endpoint, '--yes'], { STREAMFORM_DEBUG: '1' });
    expect(applied.out).toContain('3 succeeded, 0 failed');
    expect((await run('plan after apply', ['plan', ...endpoint, '--detailed-exitcode'])).code).toBe(0);

    // A rotated password AWS refuses (AWS's message quotes the value it got): the failure says why, without it.
    const tooLong = `${ENV_PASSWORD}${'x'.repeat(120)}`;
    SECRETS.push(tooLong);
    const refused = await run('plan with a refused value', ['plan', ...endpoint], { DC_PASSWORD: tooLong });
    expect(refused.out).toContain('AccountPassword is longer than the 127 characters AWS allows');
    const failing = await run('apply with a refused value', ['apply', ...endpoint, '--yes'], { DC_PASSWORD: 'x'.repeat(128) });
    expect(failing.code).toBe(1);

    for (const file of readdirSync(dir)) if (!['name.txt', '.streamform'].includes(file)) found.push(...leaks(file, readFileSync(join(dir, file), 'utf8')));
    found.push(...leaks('records', readFileSync(join(dir, '.streamform', 'records.json'), 'utf8')));
    found.push(...leaks('GET /_emulator/calls', JSON.stringify(await em.calls())));
    expect(found).toEqual([]);
    // The emulator did get the values: the test would catch nothing if they were never sent.
    const state = JSON.stringify((await em.getState()).appstream?.directoryConfigs);
    expect(state).toContain(SM_PASSWORD);
    expect(state).toContain(SSM_PASSWORD);
  });
});
