import { AppStreamClient, DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { ListStreamingImagesCommand, NimbleClient, ThrottlingException } from '@aws-sdk/client-nimble';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, ThrottledException } from '@aws-sdk/client-resource-groups-tagging-api';
import { describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { adminOf } from '../helpers/emulator.js';

const state = { appstream: { stacks: [{ Name: 'design' }] }, nimble: { studios: [{ studioId: 'st' }] } };

interface Faulty extends ReturnType<typeof adminOf> {
  appstream: AppStreamClient;
  nimble: NimbleClient;
  tagging: ResourceGroupsTaggingAPIClient;
}

/**
 * SDK clients in `standard` retry mode: the project's `adaptive` mode also slows the client down
 * after throttling, which would make these tests measure the client instead of the emulator.
 */
async function withEmulator<T>(options: EmulatorOptions, maxAttempts: number, body: (t: Faulty) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ state, ...options });
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts, retryMode: 'standard' };
  const clients = { appstream: new AppStreamClient(config), nimble: new NimbleClient(config), tagging: new ResourceGroupsTaggingAPIClient(config) };
  try {
    return await body({ ...clients, ...adminOf(emulator.url) });
  } finally {
    Object.values(clients).forEach((c) => c.destroy());
    await emulator.close();
  }
}

/** Which of `n` sequential DescribeStacks calls fail, as HTTP statuses (200 for success). */
async function statuses(t: Faulty, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      await t.appstream.send(new DescribeStacksCommand({})).then(
        () => 200,
        (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode ?? -1,
      ),
    );
  }
  return out;
}

describe('fault injection', () => {
  it('throttles the configured fraction of requests when retries are off, the same ones for the same seed', async () => {
    const first = await withEmulator({ throttleRate: 0.3, seed: 7 }, 1, (t) => statuses(t, 60));
    const again = await withEmulator({ throttleRate: 0.3, seed: 7 }, 1, (t) => statuses(t, 60));
    const other = await withEmulator({ throttleRate: 0.3, seed: 8 }, 1, (t) => statuses(t, 60));
    const throttled = first.filter((s) => s === 400).length;
    expect(throttled).toBeGreaterThanOrEqual(8);
    expect(throttled).toBeLessThanOrEqual(30);
    expect(first.every((s) => s === 200 || s === 400)).toBe(true);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('lets every call succeed when the SDK retries, and logs each attempt', async () => {
    await withEmulator({ throttleRate: 0.2, errorRate: 0.2, seed: 3 }, 5, async (t) => {
      expect(await statuses(t, 12)).toEqual(Array(12).fill(200));
      const calls = await t.calls();
      expect(calls.length).toBeGreaterThan(12);
      expect(calls.filter((c) => c.status === 200)).toHaveLength(12);
      const failed = calls.filter((c) => c.status !== 200);
      expect(failed.every((c) => [400, 500, 503].includes(c.status))).toBe(true);
      // The log names each fault, so throttling is told apart from service errors without guessing from statuses.
      expect(new Set(failed.map((c) => c.error))).toEqual(new Set(['ThrottlingException', 'InternalFailure', 'ServiceUnavailableException']));
    });
  });

  it('answers server errors with 500 and 503', async () => {
    const seen = await withEmulator({ errorRate: 1, seed: 5 }, 1, (t) => statuses(t, 12));
    expect(new Set(seen)).toEqual(new Set([500, 503]));
  });

  it('throttles Nimble with 429 ThrottlingException and the tagging API with ThrottledException', async () => {
    await withEmulator({ throttleRate: 1 }, 1, async (t) => {
      const nimble = await t.nimble.send(new ListStreamingImagesCommand({ studioId: 'st' })).catch((e: unknown) => e);
      expect(nimble).toBeInstanceOf(ThrottlingException);
      expect((nimble as ThrottlingException).$metadata.httpStatusCode).toBe(429);
      await expect(t.tagging.send(new GetResourcesCommand({}))).rejects.toBeInstanceOf(ThrottledException);
    });
  });

  it('throttles what exceeds the token bucket (burst = rate)', async () => {
    await withEmulator({ rateLimit: 5 }, 1, async (t) => {
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => t.appstream.send(new DescribeStacksCommand({}))));
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      expect(ok).toBeGreaterThanOrEqual(5);
      expect(ok).toBeLessThanOrEqual(6);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((rejected.reason as Error).name).toBe('ThrottlingException');
    });
  });

  it('delays every answer by the latency, but not the admin endpoints', async () => {
    await withEmulator({ latencyMs: 150 }, 1, async (t) => {
      let start = Date.now();
      await t.appstream.send(new DescribeStacksCommand({}));
      expect(Date.now() - start).toBeGreaterThanOrEqual(140);
      start = Date.now();
      await t.calls();
      expect(Date.now() - start).toBeLessThan(140);
    });
  });
});
