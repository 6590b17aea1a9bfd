/**
 * The usage report subscription through an independent client: Debian's AWS CLI v2 at /usr/bin/aws.
 * CI sets STREAMFORM_REQUIRE_AWS_CLI=1, which turns a missing CLI from a skip into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';

const present = cliPresent('AWS CLI conformance');

let emulator: Emulator;

const { aws, json } = awsCli({ url: () => emulator.url, prefix: ['appstream'] });

describe.skipIf(!present && !required)(`usage reports through the AWS CLI v2 (${AWS})`, () => {
  beforeAll(async () => {
    requireCli(present);
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
