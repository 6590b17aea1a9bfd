/** The emulator's usage report subscription, through the real SDK client. */
import { CreateUsageReportSubscriptionCommand, DeleteUsageReportSubscriptionCommand, DescribeUsageReportSubscriptionsCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

let em: TestEmulator;
beforeAll(async () => {
  em = await startTestEmulator({ transitionMs: 20 }, { maxAttempts: 1 });
});
afterAll(() => em.close());
beforeEach(() => em.setState({ account: '210987654321', region: 'eu-west-1' }));

const error = (promise: Promise<unknown>) => promise.then(() => undefined, (e: Error) => `${e.name}: ${e.message}`);
const describeAll = () => em.clients.appstream.send(new DescribeUsageReportSubscriptionsCommand({}));

describe('usage report subscriptions', () => {
  it('creates one with the bucket AWS names, describes it, and deletes it', async () => {
    expect((await describeAll()).UsageReportSubscriptions).toEqual([]);
    const created = await em.clients.appstream.send(new CreateUsageReportSubscriptionCommand({}));
    expect(created.S3BucketName).toMatch(/^appstream-logs-eu-west-1-210987654321-[a-z0-9]{1,8}$/);
    expect(created.Schedule).toBe('DAILY');
    expect((await describeAll()).UsageReportSubscriptions).toEqual([{ S3BucketName: created.S3BucketName, Schedule: 'DAILY' }]);
    // One per account and Region: subscribing again answers with the same subscription.
    expect(await em.clients.appstream.send(new CreateUsageReportSubscriptionCommand({}))).toMatchObject({ S3BucketName: created.S3BucketName });
    expect((await describeAll()).UsageReportSubscriptions).toHaveLength(1);
    await em.clients.appstream.send(new DeleteUsageReportSubscriptionCommand({}));
    expect((await describeAll()).UsageReportSubscriptions).toEqual([]);
    expect(await error(em.clients.appstream.send(new DeleteUsageReportSubscriptionCommand({})))).toBe('ResourceNotFoundException: The usage report subscription does not exist.');
  });

  it('serves SubscriptionErrors and a report date seeded by the state file, which shows the section as Describe returns it', async () => {
    const seeded = { S3BucketName: 'appstream-logs-eu-west-1-210987654321-abc', Schedule: 'DAILY', LastGeneratedReportDate: '2026-05-31T00:00:00Z', SubscriptionErrors: [{ ErrorCode: 'ACCESS_DENIED', ErrorMessage: 'Access Denied' }] };
    await em.setState({ appstream: { usageReportSubscriptions: [seeded] } });
    const [found] = (await describeAll()).UsageReportSubscriptions!;
    expect(found).toEqual({ ...seeded, LastGeneratedReportDate: new Date('2026-05-31T00:00:00Z') });
    expect((await em.getState()).appstream?.usageReportSubscriptions).toEqual([{ ...seeded, LastGeneratedReportDate: Date.parse(seeded.LastGeneratedReportDate) / 1000 }]);
  });

  it('pages Describe by MaxResults and rejects a token it did not give', async () => {
    await em.clients.appstream.send(new CreateUsageReportSubscriptionCommand({}));
    const first = await em.clients.appstream.send(new DescribeUsageReportSubscriptionsCommand({ MaxResults: 1 }));
    expect(first.UsageReportSubscriptions).toHaveLength(1);
    expect(first.NextToken).toBeUndefined();
    expect(await error(em.clients.appstream.send(new DescribeUsageReportSubscriptionsCommand({ NextToken: 'not-a-token' })))).toMatch(/^ValidationException: Invalid pagination token/);
  });

  it('refuses a state with two subscriptions or an error code the model does not have', async () => {
    const bucket = { S3BucketName: 'b', Schedule: 'DAILY' };
    await expect(em.setState({ appstream: { usageReportSubscriptions: [bucket, bucket] } })).rejects.toThrow('appstream.usageReportSubscriptions: an account has at most one usage report subscription in a Region, found 2');
    await expect(em.setState({ appstream: { usageReportSubscriptions: [{ ...bucket, SubscriptionErrors: [{ ErrorCode: 'NOPE' }] }] } })).rejects.toThrow(/appstream\.usageReportSubscriptions\[0\]\.SubscriptionErrors\[0\]\.ErrorCode/);
  });
});
