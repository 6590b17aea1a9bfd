/**
 * The usage report subscription through an independent client: Debian's AWS CLI v2 at /usr/bin/aws.
 * CI sets STREAMFORM_REQUIRE_AWS_CLI=1, which turns a missing CLI from a skip into a failure.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const AWS = '/usr/bin/aws';
const present = existsSync(AWS);
const required = process.env.STREAMFORM_REQUIRE_AWS_CLI === '1';
if (!present && !required) console.warn(`SKIPPED: AWS CLI conformance tests need the AWS CLI v2 at ${AWS} (apt-get install awscli)`);

let emulator: Emulator;

/** Dummy credentials, with the machine's own AWS configuration kept out. */
const ENV = { PATH: process.env.PATH, HOME: process.env.HOME, AWS_PAGER: '', AWS_ACCESS_KEY_ID: 'emulator', AWS_SECRET_ACCESS_KEY: 'emulator', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

function aws(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(AWS, ['appstream', ...args, '--endpoint-url', emulator.url, '--output', 'json'], { env: ENV }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

async function json(...args: string[]): Promise<Record<string, any>> {
  const result = await aws(...args);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return result.out.trim() ? JSON.parse(result.out) : {};
}

describe.skipIf(!present && !required)(`usage reports through the AWS CLI v2 (${AWS})`, () => {
  beforeAll(async () => {
    if (!present) throw new Error(`STREAMFORM_REQUIRE_AWS_CLI=1 but ${AWS} is missing: install the awscli package`);
    emulator = await startEmulator({
      state: { appstream: { usageReportSubscriptions: [{ S3BucketName: 'appstream-logs-us-east-1-123456789012-old', Schedule: 'DAILY', LastGeneratedReportDate: '2026-05-30T00:00:00Z', SubscriptionErrors: [{ ErrorCode: 'INTERNAL_SERVICE_ERROR', ErrorMessage: 'try again' }] }] } },
    });
  });
  afterAll(() => emulator?.close());

  it('describes, deletes, fails a second delete, creates and describes again', async () => {
    const seeded = await json('describe-usage-report-subscriptions');
    expect(seeded.UsageReportSubscriptions).toEqual([
      { S3BucketName: 'appstream-logs-us-east-1-123456789012-old', Schedule: 'DAILY', LastGeneratedReportDate: expect.stringMatching(/^2026-05-30T00:00:00/), SubscriptionErrors: [{ ErrorCode: 'INTERNAL_SERVICE_ERROR', ErrorMessage: 'try again' }] },
    ]);
    await json('delete-usage-report-subscription');
    const again = await aws('delete-usage-report-subscription');
    expect(again.code).toBe(254);
    expect(again.err).toContain('(ResourceNotFoundException) when calling the DeleteUsageReportSubscription operation: The usage report subscription does not exist.');
    const created = await json('create-usage-report-subscription');
    expect(created).toEqual({ S3BucketName: expect.stringMatching(/^appstream-logs-us-east-1-123456789012-[a-z0-9]+$/), Schedule: 'DAILY' });
    expect((await json('describe-usage-report-subscriptions', '--max-results', '1')).UsageReportSubscriptions).toEqual([created]);
  }, 60_000);
});
