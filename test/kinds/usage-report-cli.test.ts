/**
 * The built CLI on usage reports against the emulator: apply enables them and the next plan has
 * nothing to do, a saved plan that disables them applies as reviewed, and `drift` fails on
 * SubscriptionErrors, naming the config line and the bucket.
 */
import { expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from '../apply/cli.js';

const BUCKET = 'appstream-logs-us-east-1-123456789012-denied1';
const FAILING: EmulatorState = {
  appstream: { usageReportSubscriptions: [{ S3BucketName: BUCKET, Schedule: 'DAILY', SubscriptionErrors: [{ ErrorCode: 'ACCESS_DENIED', ErrorMessage: 'Access Denied' }] }] },
};

let work: string;
let emulator: TestEmulator;
const CONFIG = (enabled: boolean) => `version: 1\nproject: shop\nstacks: []\nusageReports:\n  Enabled: ${enabled}\n`;
useCliWorkspace({ 'reports.yaml': CONFIG(true), 'off.yaml': CONFIG(false) }, {}, (w, e) => ((work = w), (emulator = e)));

const run = (...args: string[]) => streamform([...args, '-f', 'reports.yaml', '--endpoint', emulator.url], work);

it('validate counts the subscription; apply creates it; the next plan has no changes', async () => {
  expect((await streamform(['validate', '-f', 'reports.yaml'], work)).stdout).toBe('ok: 1 usage report subscription in 1 file\n');
  const applied = await run('apply', '--yes');
  expect(applied.code, applied.stderr).toBe(0);
  expect(applied.stdout).toContain('+ usageReport/subscription');
  expect((await emulator.calls()).filter((c) => c.operation === 'CreateUsageReportSubscription').map((c) => c.status)).toEqual([200]);
  const again = await run('plan', '--detailed-exitcode');
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toContain('No changes.');
});

it('drift exits 1 on SubscriptionErrors, at the line of usageReports, with the bucket', async () => {
  await emulator.setState(FAILING);
  const drift = await run('drift');
  expect(drift.code).toBe(1);
  expect(drift.stdout).toContain(`reports.yaml:4:1: error: usageReport/subscription: usage report generation failed (ACCESS_DENIED: Access Denied); reports go to S3 bucket ${BUCKET}, schedule DAILY`);
  expect(drift.stdout).toContain('Drift: 1 error.');
});

it('a saved plan that disables them applies as reviewed', async () => {
  await emulator.setState(FAILING);
  const planned = await streamform(['plan', '-f', 'off.yaml', '--endpoint', emulator.url, '--out', 'off.plan.json'], work);
  expect(planned.code, planned.stderr).toBe(0);
  expect(planned.stdout).toContain('1. DeleteUsageReportSubscription usageReport/subscription');
  const applied = await streamform(['apply', 'off.plan.json', '--endpoint', emulator.url], work);
  expect(applied.code, applied.stderr).toBe(0);
  expect((await emulator.getState()).appstream?.usageReportSubscriptions).toBeUndefined();
});
