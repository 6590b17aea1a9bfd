import { DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClients } from '../../src/aws/clients.js';
import { awsErrorMessage } from '../../src/aws/errors.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

describe('createClients', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator({ throttleRate: 1 });
  });
  afterAll(() => emulator.close());
  afterEach(() => vi.unstubAllEnvs());

  async function attemptsAgainstThrottling(): Promise<number> {
    await emulator.clearCalls();
    const { appstream } = createClients({ endpoint: emulator.url });
    await expect(appstream.send(new DescribeStacksCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException' });
    return (await emulator.calls()).length;
  }

  it('takes the attempt count from AWS_MAX_ATTEMPTS, as the SDK documents', async () => {
    vi.stubEnv('AWS_MAX_ATTEMPTS', '2');
    vi.stubEnv('AWS_RETRY_MODE', 'standard');
    expect(await attemptsAgainstThrottling()).toBe(2);
  });

  it('refuses an endpoint that is not an http(s) URL in one line', () => {
    expect(() => createClients({ endpoint: 'notaurl' })).toThrow("--endpoint must be a URL such as http://127.0.0.1:4577, got 'notaurl'");
    expect(() => createClients({ endpoint: 'ftp://127.0.0.1' })).toThrow("--endpoint must be an http or https URL, got 'ftp://127.0.0.1'");
  });

  it('fails a request that gets no answer in time as a timeout, in one plain line', async () => {
    const slow = await startTestEmulator({ latencyMs: 2_000 });
    try {
      const { appstream } = createClients({ endpoint: slow.url, maxAttempts: 1, requestTimeoutMs: 200 });
      const error = await appstream.send(new DescribeStacksCommand({})).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect(awsErrorMessage(error)).toBe('a request has exceeded the configured 200 ms requestTimeout.');
    } finally {
      await slow.close();
    }
  });
});
