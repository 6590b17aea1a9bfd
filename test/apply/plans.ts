import { destroyClients, type AwsClients } from '../../src/aws/clients.js';
import { applyPlan, createApplyClients, type ApplyOptions } from '../../src/apply/applier.js';
import type { ApplyEvent } from '../../src/apply/events.js';
import { kindOfAddress } from '../../src/kinds/index.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlannedCall } from '../../src/core/plan.js';
import { collect } from './expect-events.js';

export type CallSpec = Omit<PlannedCall, 'id' | 'phase'> & { phase?: number };


/** A plan around hand-written calls (ids in the given order, phase 1 unless set), one change per address. */
export function planOf(specs: CallSpec[]): Plan {
  const calls: PlannedCall[] = specs.map((spec, i) => ({ ...spec, id: i + 1, phase: spec.phase ?? 1 }));
  const addresses = [...new Set(calls.map((call) => call.address))];
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    project: 'test',
    configDigest: 'digest',
    configFiles: [],
    target: { region: 'us-east-1' },
    createdAt: new Date(0).toISOString(),
    changes: addresses.map((address) => ({
      address,
      kind: kindOfAddress(address)!.name,
      action: 'update',
      drift: false,
      adopt: false,
      reasonCode: 'update',
      dependsOn: [],
      diffs: [],
      liveDigest: null,
    })),
    calls,
    diagnostics: [],
    summary: { create: 0, update: addresses.length, replace: 0, delete: 0 },
  };
}

/** Small delays so that a test against the emulator takes milliseconds, not minutes. */
export const FAST: ApplyOptions = {
  pollIntervalMs: 10,
  waitTimeoutMs: 5_000,
  retry: { baseDelayMs: 2, maxDelayMs: 20, consistencyWindowMs: 2_000 },
};

export async function runPlan(plan: Plan, url: string, options: ApplyOptions = {}): Promise<ApplyEvent[]> {
  const clients: AwsClients = createApplyClients({ endpoint: url });
  try {
    return await collect(applyPlan(plan, clients, { ...FAST, ...options, retry: { ...FAST.retry, ...options.retry } }));
  } finally {
    destroyClients(clients);
  }
}

export const ofType = <T extends ApplyEvent['type']>(events: ApplyEvent[], type: T) =>
  events.filter((event): event is Extract<ApplyEvent, { type: T }> => event.type === type);
