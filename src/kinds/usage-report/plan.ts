/**
 * The usage report subscription: created when declared enabled and absent, deleted when declared
 * disabled and present. It carries no tags, so it has no owner and no record: nothing is adopted
 * and nothing is pruned, and what AWS has is compared with the declaration alone.
 */
import type { UsageReportSubscription } from '@aws-sdk/client-appstream';
import type { UsageReportsConfig } from '../../config/types.js';
import { digest } from '../../core/digest.js';
import type { Diagnostic } from '../../core/plan.js';
import { appstreamCall, change, type ResourcePlan, type Subject } from '../resource.js';

export function liveUsageReportsDigest(subscriptions: readonly UsageReportSubscription[]): string {
  return digest(subscriptions.map(({ S3BucketName, Schedule }) => ({ S3BucketName, Schedule })));
}

/** Where the reports go, as AWS says: information for the reviewer, never compared. */
function destination(subscription: UsageReportSubscription): string {
  const last = subscription.LastGeneratedReportDate;
  return `S3 bucket ${subscription.S3BucketName ?? '(none reported)'}, schedule ${subscription.Schedule ?? '(none reported)'}${last ? `, last report ${last.toISOString()}` : ''}`;
}

/** SubscriptionErrors: the last report generation failed, so reports are missing. */
function health(subscription: UsageReportSubscription, subject: Subject): Diagnostic[] {
  return (subscription.SubscriptionErrors ?? []).map((error) => ({
    severity: 'error',
    address: subject.address,
    message: `usage report generation failed (${error.ErrorCode ?? 'unknown error'}${error.ErrorMessage ? `: ${error.ErrorMessage}` : ''}); reports go to ${destination(subscription)}`,
    ...(subject.source ? { source: subject.source } : {}),
  }));
}

export function planUsageReports(declared: UsageReportsConfig, subscriptions: readonly UsageReportSubscription[], subject: Subject): ResourcePlan {
  const [subscription] = subscriptions;
  if (declared.Enabled && !subscription) {
    return {
      change: change(subject, {
        action: 'create',
        diffs: [{ path: 'Enabled', before: false, after: true }],
        reason: 'AWS creates an S3 bucket for the reports (appstream-logs-<region>-<account>-<suffix>) and writes them to it daily',
      }),
      calls: [appstreamCall('CreateUsageReportSubscription', {})],
      diagnostics: [],
    };
  }
  if (!declared.Enabled && subscription) {
    return {
      change: change(subject, {
        action: 'delete',
        reasonCode: 'update',
        diffs: [{ path: 'Enabled', before: true, after: false }],
        reason: `no more reports to ${destination(subscription)}; the bucket and the reports in it stay`,
      }),
      calls: [appstreamCall('DeleteUsageReportSubscription', {})],
      diagnostics: [],
    };
  }
  return {
    change: change(subject, { action: 'no-op', ...(subscription ? { reason: `reports go to ${destination(subscription)}` } : {}) }),
    calls: [],
    diagnostics: subscription ? health(subscription, subject) : [],
  };
}
