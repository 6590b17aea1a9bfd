import { expect } from 'vitest';
import { applyPlan, createApplyClients } from '../../src/apply/applier.js';
import { destroyClients } from '../../src/aws/clients.js';
import type { ApplyEvent, ApplySummary } from '../../src/apply/events.js';
import type { Config, LoadedConfig } from '../../src/config/types.js';
import { describeLive, planConfirmingTags, type LiveState } from '../../src/describe/index.js';
import { buildPlan } from '../../src/plan/build.js';
import type { Plan } from '../../src/core/plan.js';
import { startTestEmulator, useEmulator, type TestEmulator } from '../helpers/emulator.js';
import type { EmulatorOptions, EmulatorState } from '../../src/emulator/index.js';

export const PROJECT = 'studio';
export const NOW = new Date('2026-06-01T00:00:00Z');

/** A config as the loader would return it, every resource located at line 1 of one file. */
export function loaded(config: Config): LoadedConfig {
  return { config, files: ['streamform.yaml'], locate: () => ({ file: 'streamform.yaml', line: 1, column: 1 }) };
}

export function config(parts: Partial<Config> = {}): Config {
  return { version: 1, project: PROJECT, ...parts };
}

/** Small transition times keep waits short; the seed keeps ids stable. */
const EMULATOR_OPTIONS: EmulatorOptions = { transitionMs: 20, seed: 7 };

export function emulator(options: EmulatorOptions = {}, target: Parameters<typeof startTestEmulator>[1] = {}): Promise<TestEmulator> {
  return startTestEmulator({ ...EMULATOR_OPTIONS, ...options }, target);
}

/** For a test file whose every test starts from the account `state`, with this file's emulator options (see useEmulator). */
export function useAccount(state: EmulatorState = {}): TestEmulator {
  return useEmulator(state, EMULATOR_OPTIONS);
}

/** The mutating operations the emulator served since its call log was cleared, in order. */
export const mutationsOf = async (em: TestEmulator) => (await em.calls()).map((c) => c.operation).filter((op) => !/^(Describe|List|Get)/.test(op));

/** A plan's operations, each with the waiter that follows it. */
export const withWaits = (plan: Plan) => plan.calls.map((c) => `${c.operation}${c.wait ? ` (${c.wait})` : ''}`);

export interface Planned {
  plan: Plan;
  live: LiveState;
  notices: string[];
}

/** describe + plan against the emulator, as `streamform plan` does. */
export async function planWith(em: TestEmulator, cfg: Config, prune = false): Promise<Planned> {
  const notices: string[] = [];
  const live = await describeLive(cfg, em.clients, { prune, onNotice: (m) => notices.push(m) });
  const plan = await planConfirmingTags(cfg, em.clients, live, prune, () => buildPlan({ loaded: loaded(cfg), live, prune, region: em.clients.region, endpoint: em.url, now: NOW }));
  return { plan, live, notices };
}

/** Executes a plan's calls with the applier and expects every call to succeed. */
export async function apply(em: TestEmulator, plan: Plan): Promise<ApplySummary> {
  const clients = createApplyClients({ endpoint: em.url });
  let summary: ApplySummary | undefined;
  try {
    for await (const event of applyPlan(plan, clients, { pollIntervalMs: 10, waitTimeoutMs: 5_000 })) {
      if (event.type === 'summary') summary = event.summary;
    }
  } finally {
    destroyClients(clients);
  }
  expect(summary?.failures).toEqual([]);
  return summary!;
}

/** Plans, applies, and returns the next plan (which should have nothing to do). */
export async function converge(em: TestEmulator, cfg: Config, prune = false): Promise<{ first: Plan; second: Plan }> {
  const { plan: first } = await planWith(em, cfg, prune);
  await apply(em, first);
  const { plan: second } = await planWith(em, cfg, prune);
  return { first, second };
}

/** Applies `cfg` and checks that the next plan has nothing to do, and no problem; returns the plan applied. */
export async function convergeClean(em: TestEmulator, cfg: Config, prune = false): Promise<Plan> {
  const { first, second } = await converge(em, cfg, prune);
  expect(second.calls, callList(second).join('\n')).toEqual([]);
  expect(second.diagnostics).toEqual([]);
  return first;
}

/**
 * Applies each config of `sequence` in turn to a fresh emulator of `state`: none may plan an error,
 * and after each apply the next plan has nothing to do (and no error; no diagnostic at all with
 * `noDiagnostics`). The body of the apply-then-empty-plan properties.
 */
export async function convergesInTurn(state: EmulatorOptions['state'], sequence: Config[], prune: boolean, { noDiagnostics = false } = {}): Promise<void> {
  const em = await emulator(state === undefined ? {} : { state });
  try {
    for (const cfg of sequence) {
      const { first, second } = await converge(em, cfg, prune);
      expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(callList(second), JSON.stringify(second.changes.filter((c) => c.action !== 'no-op'))).toEqual([]);
      expect(noDiagnostics ? second.diagnostics : second.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
  } finally {
    await em.close();
  }
}

/** The applier's events for a plan, failures allowed. */
export async function applyEvents(em: TestEmulator, plan: Plan): Promise<ApplyEvent[]> {
  const clients = createApplyClients({ endpoint: em.url });
  const seen: ApplyEvent[] = [];
  try {
    for await (const event of applyPlan(plan, clients, { pollIntervalMs: 10, waitTimeoutMs: 5_000 })) seen.push(event);
  } finally {
    destroyClients(clients);
  }
  return seen;
}

/** The operations of a plan's calls, "Operation address" in execution order. */
export const callList = (plan: Plan) => plan.calls.map((c) => `${c.operation} ${c.address}`);
