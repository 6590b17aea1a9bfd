/** The usage report subscription as describe reads it, and its address. */
import type { UsageReportSubscription } from '@aws-sdk/client-appstream';

declare module '../../core/live.js' {
  interface LiveSections {
    /** The account's subscriptions in the Region (at most one), as DescribeUsageReportSubscriptions lists them; undefined when not read. */
    usageReports: { subscriptions?: UsageReportSubscription[] };
  }
}

/** One subscription per account and Region, so one address. */
export const USAGE_REPORTS = 'usageReport/subscription';
