import { CreateStackCommand, DescribeStacksCommand, ResourceNotFoundException } from '@aws-sdk/client-appstream';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { startEmulator } from '../../src/emulator/index.js';
import { adminOf } from '../helpers/emulator.js';

// The built CLI, as users run it (`npm test` builds before running the tests).
const CLI = 'dist/src/cli/main.js';
const STATE = 'test/fixtures/emulator/state.yaml';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npx tsc -p .' (npm test does) before these tests`);
});

function emulator(...args: string[]) {
  const child = spawn(process.execPath, [CLI, 'emulator', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = once(child, 'exit').then(([code]) => code as number);
  return { child, exit, stderr: () => stderr };
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  return line;
}

describe('streamform emulator', () => {
  it('prints the URL first, serves the state file with the flags applied, and exits 0 on SIGTERM', async () => {
    const run = emulator('--port', '0', '--state', STATE, '--page-size', '1');
    const line = await firstLine(run.child);
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.slice('listening on '.length);

    const { appstream } = createClients({ endpoint: url });
    const page = await appstream.send(new DescribeStacksCommand({}));
    expect(page.Stacks!.map((s) => s.Name)).toEqual(['design']);
    expect(page.NextToken).toBeDefined();
    appstream.destroy();
    expect(await adminOf(url).calls()).toEqual([{ service: 'appstream', operation: 'DescribeStacks', status: 200 }]);

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('lags new stacks with --consistency-lag-ms', async () => {
    const run = emulator('--port', '0', '--consistency-lag-ms', '60000');
    const url = (await firstLine(run.child)).slice('listening on '.length);
    const { appstream } = createClients({ endpoint: url, maxAttempts: 1 });
    await appstream.send(new CreateStackCommand({ Name: 'new' }));
    await expect(appstream.send(new DescribeStacksCommand({ Names: ['new'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    appstream.destroy();
  });

  it('exits 0 on SIGINT', async () => {
    const run = emulator('--port', '0');
    await firstLine(run.child);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
  });

  it.each([
    ['a bad state file', ['--port', '0', '--state', 'test/fixtures/emulator/bad-member.yaml'], /^streamform: emulator: state file .*bad-member\.yaml: appstream\.stacks\[1\]\.UserSettings\[0\]\.Action: /],
    ['a missing state file', ['--port', '0', '--state', 'nope.yaml'], /^streamform: emulator: cannot read state file nope\.yaml: no such file$/],
    ['a rate out of range', ['--throttle-rate', '2'], /^streamform: emulator: --throttle-rate must be a number from 0 to 1, got '2'$/],
    ['a negative lag', ['--consistency-lag-ms=-5'], /^streamform: emulator: --consistency-lag-ms must be /],
    ['an unknown flag', ['--colour'], /^streamform: emulator: Unknown option '--colour'/],
  ])('refuses %s with one line on stderr and exit 1', async (_, args, message) => {
    const run = emulator(...args);
    expect(await run.exit).toBe(1);
    const lines = run.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('refuses a port in use with one line and exit 1', async () => {
    const taken = await startEmulator();
    try {
      const run = emulator('--port', String(taken.port));
      expect(await run.exit).toBe(1);
      expect(run.stderr()).toBe(`streamform: emulator: port ${taken.port} on 127.0.0.1 is already in use\n`);
    } finally {
      await taken.close();
    }
  });
});
