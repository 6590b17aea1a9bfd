/**
 * Reading retries as patiently as apply writes: a plan of an unchanged account under heavy
 * throttling and server errors succeeds, and says what it retried.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, createApplyClients } from '../../src/apply/applier.js';
import { createClients, destroyClients, type AwsTarget, type CallRetry } from '../../src/aws/clients.js';
import { loadConfig } from '../../src/config/load.js';
import type { LoadedConfig } from '../../src/config/types.js';
import { describeLive } from '../../src/describe/index.js';
import { startEmulator, type EmulatorState } from '../../src/emulator/index.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/core/plan.js';
import { streamform } from '../apply/cli.js';
import { adminOf } from '../helpers/emulator.js';

/** A small account that reads through every kind of call: stacks, fleets, tags, images, permissions, a studio. */
const CONFIG = `version: 1
project: robust
region: us-east-1
stacks:
  - Name: design
    DisplayName: Design
    Fleets: [fleet-a]
  - Name: review
images:
  - Name: base-2026
    SharedWith: [{ AccountId: "210987654321", AllowFleet: true, AllowImageBuilder: false }]
streamingImages:
  - StudioId: stid-1
    Name: maya
    Ec2ImageId: ami-0123456789abcdef0
`;
const INITIAL: EmulatorState = {
  appstream: { fleets: [{ Name: 'fleet-a' }], images: [{ Name: 'base-2026', State: 'AVAILABLE' }] },
  nimble: { studios: [{ studioId: 'stid-1' }] },
};
const FAULTS = { throttleRate: 0.5, errorRate: 0.1 };

let dir: string;
let loaded: LoadedConfig;
/** The account once the config is applied: every plan of it has nothing to do. */
let applied: EmulatorState;

async function planAgainst(url: string, target: Omit<AwsTarget, 'endpoint'> = {}): Promise<Plan> {
  const clients = createClients({ ...target, endpoint: url });
  try {
    const live = await describeLive(loaded.config, clients, { prune: false });
    return buildPlan({ loaded, live, prune: false, region: clients.region, endpoint: url });
  } finally {
    destroyClients(clients);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamform-retries-'));
  writeFileSync(join(dir, 'streamform.yaml'), CONFIG);
  loaded = await loadConfig([join(dir, 'streamform.yaml')]);
  const emulator = await startEmulator({ state: INITIAL });
  try {
    const clients = createApplyClients({ endpoint: emulator.url });
    for await (const event of applyPlan(await planAgainst(emulator.url), clients)) {
      if (event.type === 'summary') expect(event.summary).toMatchObject({ failed: 0, skipped: 0 });
    }
    applied = await adminOf(emulator.url).getState();
  } finally {
    await emulator.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan of an unchanged account at 50% throttling and 10% server errors', () => {
  it('succeeds for every one of 10 seeds, retrying the reads', async () => {
    let retried = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const emulator = await startEmulator({ state: applied, ...FAULTS, seed });
      try {
        // The policy's rules, with a backoff short enough for a test; `standard`, so that the SDK's
        // adaptive rate limiter does not slow the test down after each throttle. At 55% failed attempts,
        // the default 10 attempts leave each call a 0.25% chance to fail (a few percent per plan, the
        // same for apply's calls): 16 make this a test of the retrying, not of the seeds' luck.
        const target = { maxAttempts: 16, backoff: { baseDelayMs: 1, maxDelayMs: 4 }, retryMode: 'standard', onRetry: () => void retried++ } as const;
        const plan = await planAgainst(emulator.url, target);
        expect(plan.diagnostics, `seed ${seed}`).toEqual([]);
        expect(plan.changes.every((change) => change.action === 'no-op'), `seed ${seed}`).toBe(true);
      } finally {
        await emulator.close();
      }
    }
    expect(retried).toBeGreaterThan(20);
  });

  it('prints a line for each retried read on stderr, the plan on stdout', async () => {
    const emulator = await startEmulator({ state: applied, ...FAULTS, seed: 2 });
    try {
      const result = await streamform(['plan', '--endpoint', emulator.url, '--detailed-exitcode'], dir);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('No changes.');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line).toMatch(/^streamform: retrying [A-Za-z]+ \((ThrottlingException|ThrottledException|InternalFailure|InternalServerErrorException|InternalServiceException|ServiceUnavailableException)\), attempt \d+ of 10 in \d+\.\d s$/);
      }
    } finally {
      await emulator.close();
    }
  });
});

describe('the retries told', () => {
  it('name the operation, the error, the attempt to come and the wait', async () => {
    const emulator = await startEmulator({ state: applied, throttleRate: 1 });
    const retries: CallRetry[] = [];
    try {
      await expect(planAgainst(emulator.url, { maxAttempts: 3, backoff: { baseDelayMs: 1, maxDelayMs: 1 }, retryMode: 'standard', onRetry: (r) => retries.push(r) })).rejects.toThrow(
        "cannot list the account's stacks (DescribeStacks): ThrottlingException: Rate exceeded",
      );
      expect(retries.filter((r) => r.operation === 'DescribeStacks')).toEqual([
        { operation: 'DescribeStacks', attempt: 2, maxAttempts: 3, reason: 'ThrottlingException', delayMs: expect.any(Number) },
        { operation: 'DescribeStacks', attempt: 3, maxAttempts: 3, reason: 'ThrottlingException', delayMs: expect.any(Number) },
      ]);
    } finally {
      await emulator.close();
    }
  });
});
