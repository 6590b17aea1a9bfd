/**
 * AppStream usage report subscriptions: CreateUsageReportSubscription, DeleteUsageReportSubscription
 * and DescribeUsageReportSubscriptions. An account has at most one in a Region; its reports go to a
 * bucket AWS names `appstream-logs-<region>-<account>-<suffix>`. The state file may seed
 * SubscriptionErrors, which only a failed report generation (not emulated) would produce.
 */
import { createHash } from 'node:crypto';
import { asObject, checkShape, clone, listAt, StateError } from './checks.js';
import type { Context, Handler, Json } from './context.js';
import { ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { epochTimestamps, facts } from './shapes.js';
import type { Store } from './state.js';

/** A UsageReportSubscription as DescribeUsageReportSubscriptions returns it (the state file's form). */
export interface UsageReportSubscriptionState extends Json {
  S3BucketName?: string;
  Schedule?: string;
  LastGeneratedReportDate?: number | string;
  SubscriptionErrors?: { ErrorCode?: string; ErrorMessage?: string }[];
}

const byStore = new WeakMap<Store, { subscription?: UsageReportSubscriptionState }>();

function held(store: Store): { subscription?: UsageReportSubscriptionState } {
  let found = byStore.get(store);
  if (!found) byStore.set(store, (found = {}));
  return found;
}

/**
 * The bucket's suffix is AWS's own, the same for every subscription of the account in the Region
 * (a new subscription writes to the bucket an earlier one made), so it is derived from both here.
 */
function bucketName(store: Store): string {
  const suffix = BigInt(`0x${createHash('sha256').update(`${store.account}/${store.region}`).digest('hex').slice(0, 12)}`).toString(36).slice(0, 8);
  return `appstream-logs-${store.region}-${store.account}-${suffix}`;
}

/** Seeds `appstream.usageReportSubscriptions` of a state file: at most one, as in AWS. */
export function seedUsageReports(store: Store, list: unknown): void {
  const path = 'appstream.usageReportSubscriptions';
  const seeded = listAt(list, path);
  if (seeded.length > 1) throw new StateError(`${path}: an account has at most one usage report subscription in a Region, found ${seeded.length}`);
  held(store).subscription = seeded.map((raw, i) => {
    const fields = asObject(raw, `${path}[${i}]`);
    checkShape('appstream', 'UsageReportSubscription', fields, `${path}[${i}]`);
    return { S3BucketName: bucketName(store), Schedule: 'DAILY', ...(epochTimestamps(facts.appstream, 'UsageReportSubscription', fields) as UsageReportSubscriptionState) };
  })[0];
}

/** The state file's section: the subscription, when there is one. */
export function usageReportsState(store: Store): UsageReportSubscriptionState[] {
  const { subscription } = held(store);
  return subscription ? [clone(subscription)] : [];
}

/** Subscribing again changes nothing and answers with the subscription there is (the model has no "already exists" error). */
function createUsageReportSubscription(_input: Json, { store }: Context): Json {
  const state = held(store);
  state.subscription ??= { S3BucketName: bucketName(store), Schedule: 'DAILY' };
  return { S3BucketName: state.subscription.S3BucketName, Schedule: state.subscription.Schedule };
}

function deleteUsageReportSubscription(_input: Json, { store }: Context): Json {
  const state = held(store);
  if (!state.subscription) throw new ServiceError('ResourceNotFoundException', 'The usage report subscription does not exist.');
  delete state.subscription;
  return {};
}

function describeUsageReportSubscriptions(input: Json, { store, pageSize }: Context): Json {
  const page = paginate(usageReportsState(store), (s) => s.S3BucketName ?? '', input.NextToken as string | undefined, pageSize(20, input.MaxResults as number | undefined), 'ValidationException');
  return { UsageReportSubscriptions: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

export const usageReportHandlers: Record<string, Handler> = {
  CreateUsageReportSubscription: createUsageReportSubscription,
  DeleteUsageReportSubscription: deleteUsageReportSubscription,
  DescribeUsageReportSubscriptions: describeUsageReportSubscriptions,
};
