import { DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONNECT_TIMEOUT_MS, createClients, REQUEST_TIMEOUT_MS, SILENT_TIMEOUTS, type CallRetry } from '../../src/aws/clients.js';
import { awsErrorMessage } from '../../src/aws/errors.js';
import { DEFAULT_RETRY, isThrottlingError, isTransientError } from '../../src/aws/retry.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { awsJson, startFakeServer } from '../robustness/fake-server.js';

/** Backoff short enough for a test; the attempts and the rules are the real ones. */
const FAST = { backoff: { baseDelayMs: 1, maxDelayMs: 5 }, retryMode: 'standard' } as const;

describe('createClients', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ throttleRate: 1 });
  });
  afterAll(() => emulator.close());
  afterEach(() => vi.unstubAllEnvs());

  async function attemptsAgainstThrottling(retries: CallRetry[] = []): Promise<number> {
    await emulator.clearCalls();
    const { appstream } = createClients({ endpoint: emulator.url, ...FAST, onRetry: (retry) => retries.push(retry) });
    await expect(appstream.send(new DescribeStacksCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    return (await emulator.calls()).length;
  }

  it('retries a read as many times as apply retries a write, and tells each retry', async () => {
    const retries: CallRetry[] = [];
    expect(await attemptsAgainstThrottling(retries)).toBe(DEFAULT_RETRY.maxAttempts);
    expect(retries.map((r) => r.attempt)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(retries[0]).toMatchObject({ operation: 'DescribeStacks', reason: 'ThrottlingException', maxAttempts: 10 });
  });

  it('takes the attempt count from AWS_MAX_ATTEMPTS, as the SDK documents', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    expect(await attemptsAgainstThrottling()).toBe(2);
  });

  it('refuses an AWS_MAX_ATTEMPTS that is not a number of attempts, in one line', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', 'many');
    const { appstream } = createClients({ endpoint: emulator.url });
    await expect(appstream.send(new DescribeStacksCommand({}))).rejects.toThrow("AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more, got 'many'");
  });

  it('refuses an endpoint that is not an http(s) URL in one line', () => {
    expect(() => createClients({ endpoint: 'notaurl' })).toThrow("--endpoint must be a URL such as http://127.0.0.1:4577, got 'notaurl'");
    expect(() => createClients({ endpoint: 'ftp://127.0.0.1' })).toThrow("--endpoint must be an http or https URL, got 'ftp://127.0.0.1'");
  });
});

describe('errors that are not retried as throttling', () => {
  it('a quota (LimitExceededException) is neither throttling nor transient', () => {
    const quota = { name: 'LimitExceededException', $metadata: { httpStatusCode: 400 } };
    expect(isThrottlingError(quota)).toBe(false);
    expect(isTransientError(quota)).toBe(false);
    expect(isThrottlingError({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })).toBe(true);
    expect(isThrottlingError({ name: 'ThrottledException' })).toBe(true);
  });
});

describe('an endpoint that does not answer', () => {
  it('fails on the first timeout, naming the endpoint, when it has never answered', async () => {
    const slow = await startTestEmulator({ latencyMs: 2_000 });
    try {
      const { appstream } = createClients({ endpoint: slow.url, requestTimeoutMs: 200, ...FAST });
      const started = Date.now();
      const error = await appstream.send(new DescribeStacksCommand({})).catch((e: unknown) => e);
      expect(awsErrorMessage(error)).toBe(`${slow.url}: no answer within 0.2 s; is the endpoint right?`);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      await slow.close();
    }
  });

  it('retries a timeout from an endpoint that answered before, and gives up after two in a row', async () => {
    let answered = 0;
    // Answers the first request, then no other.
    const server = await startFakeServer((_, __, res) => {
      if (answered++ === 0) awsJson(res, { Stacks: [] });
    });
    try {
      const retries: CallRetry[] = [];
      const { appstream } = createClients({ endpoint: server.url, requestTimeoutMs: 200, ...FAST, onRetry: (r) => retries.push(r) });
      await appstream.send(new DescribeStacksCommand({}));
      const error = await appstream.send(new DescribeStacksCommand({})).catch((e: unknown) => e);
      expect(awsErrorMessage(error)).toBe(`${server.url} stopped answering: ${SILENT_TIMEOUTS} requests in a row got no answer within 0.2 s`);
      expect(retries.map((r) => r.reason)).toEqual(['TimeoutError']);
    } finally {
      await server.close();
    }
  });

  it('with the default timeouts, an endpoint that never answers fails within 30 s', () => {
    // It fails on its first timeout: whichever of the two comes first.
    expect(Math.max(CONNECT_TIMEOUT_MS, REQUEST_TIMEOUT_MS)).toBeLessThan(30_000);
  });
});
