/**
 * Usage reports against the emulator with the real SDK: enable, disable, nothing to do once AWS
 * matches, SubscriptionErrors as health errors (drift fails on them), a subscription deleted by
 * hand, import, and the one Describe call a plan makes (none without `usageReports`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UsageReportsConfig } from '../../src/config/types.js';
import { driftExitCode, driftReport, driftSummary } from '../../src/drift/report.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { callList, config, convergeClean, emulator, planWith, PROJECT } from '../plan/helpers.js';

const ADDRESS = 'usageReport/subscription';
const BUCKET = 'appstream-logs-us-east-1-123456789012-seeded1';
const SUBSCRIBED: EmulatorState = { appstream: { usageReportSubscriptions: [{ S3BucketName: BUCKET, Schedule: 'DAILY' }] } };

let em: TestEmulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());
beforeEach(() => em.setState({}));

const withReports = (usageReports: UsageReportsConfig) => config({ usageReports });
const subscriptions = async () => (await em.getState()).appstream?.usageReportSubscriptions ?? [];
const describeCalls = async () => (await em.calls()).filter((c) => c.operation === 'DescribeUsageReportSubscriptions').length;

describe('usage reports', () => {
  it('Enabled: true creates the subscription, then plans nothing', async () => {
    const first = await convergeClean(em, withReports({ Enabled: true }));
    expect(callList(first)).toEqual([`CreateUsageReportSubscription ${ADDRESS}`]);
    expect(first.calls[0].input).toEqual({});
    expect(first.changes[0]).toMatchObject({ address: ADDRESS, kind: 'usageReport', action: 'create', diffs: [{ path: 'Enabled', before: false, after: true }] });
    expect(await subscriptions()).toEqual([{ S3BucketName: expect.stringMatching(/^appstream-logs-us-east-1-123456789012-/), Schedule: 'DAILY' }]);
  });

  it('Enabled: false deletes it, then plans nothing; with none there is nothing to do', async () => {
    await em.setState(SUBSCRIBED);
    const first = await convergeClean(em, withReports({ Enabled: false }));
    expect(callList(first)).toEqual([`DeleteUsageReportSubscription ${ADDRESS}`]);
    expect(first.changes[0]).toMatchObject({ action: 'delete', reasonCode: 'update', drift: false, adopt: false });
    expect(first.changes[0].reason).toContain(BUCKET);
    expect(await subscriptions()).toEqual([]);
  });

  it('an existing subscription that is declared makes no call, and the plan says where the reports go', async () => {
    await em.setState(SUBSCRIBED);
    const { plan } = await planWith(em, withReports({ Enabled: true }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.changes).toEqual([expect.objectContaining({ address: ADDRESS, action: 'no-op', adopt: false, reason: `reports go to S3 bucket ${BUCKET}, schedule DAILY` })]);
  });

  it('reports SubscriptionErrors as errors, with the bucket, and drift fails on them', async () => {
    await em.setState({
      appstream: {
        usageReportSubscriptions: [
          {
            S3BucketName: BUCKET,
            Schedule: 'DAILY',
            LastGeneratedReportDate: '2026-05-30T00:00:00Z',
            SubscriptionErrors: [
              { ErrorCode: 'ACCESS_DENIED', ErrorMessage: 'Access Denied' },
              { ErrorCode: 'RESOURCE_NOT_FOUND', ErrorMessage: 'The bucket does not exist' },
            ],
          },
        ],
      },
    });
    const { plan } = await planWith(em, withReports({ Enabled: true }));
    expect(plan.calls).toEqual([]);
    const where = `reports go to S3 bucket ${BUCKET}, schedule DAILY, last report 2026-05-30T00:00:00.000Z`;
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', address: ADDRESS, message: `usage report generation failed (ACCESS_DENIED: Access Denied); ${where}` }),
      expect.objectContaining({ severity: 'error', address: ADDRESS, message: `usage report generation failed (RESOURCE_NOT_FOUND: The bucket does not exist); ${where}` }),
    ]);
    const report = driftReport(plan);
    expect(driftExitCode(report)).toBe(1);
    expect(driftSummary(report)).toBe('Drift: 2 errors.');
    // Disabling a failing subscription is not held up by its errors.
    expect((await planWith(em, withReports({ Enabled: false }))).plan.diagnostics).toEqual([]);
  });

  it('a subscription deleted by hand is a pending create: drift lists it, and --fail-on pending fails', async () => {
    await convergeClean(em, withReports({ Enabled: true }));
    await em.setState({});
    const { plan } = await planWith(em, withReports({ Enabled: true }));
    expect(callList(plan)).toEqual([`CreateUsageReportSubscription ${ADDRESS}`]);
    const report = driftReport(plan);
    expect(report.missing).toEqual([ADDRESS]);
    expect(driftExitCode(report)).toBe(0);
    expect(driftExitCode(report, ['pending'])).toBe(2);
  });

  it('import declares Enabled: true where there is a subscription and nothing where there is none', async () => {
    await em.setState(SUBSCRIBED);
    const imported = buildImport(await describeAccount(em.clients, { studios: [] }), { project: PROJECT, region: 'us-east-1' }).config;
    expect(imported.usageReports).toEqual({ Enabled: true });
    expect((await planWith(em, imported)).plan.calls).toEqual([]);
    await em.setState({});
    expect(buildImport(await describeAccount(em.clients, { studios: [] }), { project: PROJECT, region: 'us-east-1' }).config).not.toHaveProperty('usageReports');
  });

  it('reads the subscription with one Describe call per plan, and not at all when usageReports is not declared', async () => {
    await em.setState(SUBSCRIBED);
    await em.clearCalls();
    await planWith(em, withReports({ Enabled: true }));
    expect(await describeCalls()).toBe(1);
    await em.clearCalls();
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'desk' }] }), true);
    expect(await describeCalls()).toBe(0);
    expect(plan.changes.map((c) => c.address)).not.toContain(ADDRESS);
  });
});
