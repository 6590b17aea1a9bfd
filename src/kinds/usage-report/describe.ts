/** Usage report reads: the account's subscription in the Region, one DescribeUsageReportSubscriptions call. */
import type { AppStreamClient, UsageReportSubscription } from '@aws-sdk/client-appstream';
import { allPages } from '../../aws/paging.js';
import type { LiveState } from '../../core/live.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { USAGE_REPORTS } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeUsageReportSubscriptionsCommand } = appstreamSdk();

/** The subscriptions of the Region; the model lets AWS answer "none" with ResourceNotFoundException, which means the same as an empty list. */
export async function listSubscriptions(client: AppStreamClient): Promise<UsageReportSubscription[]> {
  try {
    return await allPages(async (token) => {
      const page = await client.send(new DescribeUsageReportSubscriptionsCommand({ NextToken: token }));
      return { items: page.UsageReportSubscriptions, next: page.NextToken };
    });
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return [];
    throw error;
  }
}

/** Reads the subscription into the live state; a failure is reported for the one address. */
async function readInto(client: AppStreamClient, live: LiveState, failed: (error: unknown) => void): Promise<void> {
  try {
    live.usageReports.subscriptions = await listSubscriptions(client);
  } catch (error) {
    failed(error);
  }
}

export const listInto = ({ clients, live, fail }: DescribeContext) => readInto(clients.appstream, live, (error) => fail(USAGE_REPORTS, 'DescribeUsageReportSubscriptions', error));

export const importUsageReports: NonNullable<KindDefinition['importDescribe']> = (clients, live, _query, fail) => readInto(clients.appstream, live, (error) => fail(USAGE_REPORTS, error));
