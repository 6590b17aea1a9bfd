/**
 * Usage reports: the account's one usage report subscription in the Region, declared as
 * `usageReports: {Enabled: true | false}` (left out: not managed). The subscription carries no
 * tags, so nothing proves which project made it: it is never pruned, only deleted when declared
 * `Enabled: false`.
 */
import type { KindDefinition } from '../types.js';
import { USAGE_REPORTS } from './live.js';
import { liveUsageReportsDigest, planUsageReports } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes usage reports. */
const reads = () => import('./describe.js');

export const usageReportKind: KindDefinition = {
  name: 'usageReport',
  list: 'usageReports',
  singleton: { address: 'subscription' },
  noun: 'usage report subscription',
  plural: 'usage report subscriptions',
  service: 'appstream',
  identity: [],
  sets: [],
  attributes: {
    Enabled: { compare: 'scalar', clear: 'none', impact: 'update' },
  },
  emptyLive: () => ({}),
  describe: {
    // Read only when declared: with no tags, prune has nothing to find here.
    needed: (config) => config.usageReports !== undefined,
    list: async (ctx) => (await reads()).listInto(ctx),
  },

  plan({ config, live, wanted, subject, plan }) {
    const declared = config.usageReports;
    if (!declared || !wanted(USAGE_REPORTS)) return;
    const subscriptions = live.usageReports.subscriptions ?? [];
    const at = subject(USAGE_REPORTS, '/usageReports', () => (subscriptions.length ? liveUsageReportsDigest(subscriptions) : null));
    plan(at, () => planUsageReports(declared, subscriptions, at));
  },

  declaredValues: (resource) => ({ Enabled: (resource as { Enabled: boolean }).Enabled }),

  importDescribe: async (...args) => (await reads()).importUsageReports(...args),
  // An account without a subscription declares nothing: `Enabled: false` would manage what nobody asked to.
  import: (live) => (live.usageReports.subscriptions?.length ? [{ Enabled: true }] : []),

  operations: ['CreateUsageReportSubscription', 'DeleteUsageReportSubscription'],
  retry: {
    doneOnResend: { DeleteUsageReportSubscription: 'ResourceNotFoundException' },
  },
};
