/**
 * The apply view as data, folded from the applier's events by a pure reducer so the whole
 * progress display can be tested without a terminal or a clock.
 */
import type { ApplyEvent, ApplySummary } from '../apply/events.js';
import type { Plan, PlannedCall } from '../core/plan.js';

export type CallStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface CallProgress {
  readonly call: PlannedCall;
  readonly status: CallStatus;
  /** When the call started (the applier's clock). */
  readonly startedAt?: number;
  readonly durationMs?: number;
  readonly retries: number;
  /** The retry in progress; cleared when the call moves on. */
  readonly retry?: { readonly attempt: number; readonly error: string; readonly delayMs: number };
  /** The wait in progress: since when (derived from the event's elapsed time) and the last state seen. */
  readonly wait?: { readonly condition: string; readonly state?: string; readonly since: number };
  readonly error?: string;
  readonly skipReason?: string;
}

export interface ApplyViewState {
  readonly plan?: Plan;
  /** Every call in plan order. */
  readonly calls: readonly CallProgress[];
  /** Finished calls in the order they finished: drawn once, above the live rows. */
  readonly finished: readonly CallProgress[];
  readonly stopping: boolean;
  readonly summary?: ApplySummary;
}

export const initialApplyViewState: ApplyViewState = { calls: [], finished: [], stopping: false };

/** Folds one event in; `now` is when it arrived, used to place waits on the same clock as the view. */
export function applyEvent(state: ApplyViewState, event: ApplyEvent, now: number): ApplyViewState {
  switch (event.type) {
    case 'init':
      return { ...state, plan: event.plan, calls: event.calls.map((call) => ({ call, status: 'pending', retries: 0 })) };
    case 'call-started':
      return update(state, event.callId, (p) => ({ ...p, status: 'running', startedAt: p.startedAt ?? event.at, retry: undefined }));
    case 'call-retried':
      return update(state, event.callId, (p) => ({
        ...p,
        status: 'running',
        retries: p.retries + 1,
        retry: { attempt: event.attempt, error: event.error, delayMs: event.delayMs },
      }));
    case 'call-waiting':
      return update(state, event.callId, (p) => ({
        ...p,
        retry: undefined,
        wait: { condition: event.condition, state: event.state, since: p.wait?.condition === event.condition ? p.wait.since : now - event.elapsedMs },
      }));
    case 'call-succeeded':
      return finish(state, event.callId, (p) => ({ ...p, status: 'succeeded', durationMs: event.durationMs }));
    case 'call-failed':
      return finish(state, event.callId, (p) => ({ ...p, status: 'failed', durationMs: event.durationMs, error: event.error.message }));
    case 'call-skipped':
      return finish(state, event.callId, (p) => ({ ...p, status: 'skipped', skipReason: event.reason }));
    case 'stopping':
      return { ...state, stopping: true };
    case 'summary':
      return { ...state, summary: event.summary };
    case 'resource-finished':
      return state;
  }
}

function update(state: ApplyViewState, callId: number, change: (progress: CallProgress) => CallProgress): ApplyViewState {
  return { ...state, calls: state.calls.map((p) => (p.call.id === callId ? change(p) : p)) };
}

function finish(state: ApplyViewState, callId: number, change: (progress: CallProgress) => CallProgress): ApplyViewState {
  const current = state.calls.find((p) => p.call.id === callId);
  if (!current || isFinished(current)) return state;
  const done: CallProgress = { ...change(current), retry: undefined, wait: undefined };
  return { ...state, calls: state.calls.map((p) => (p === current ? done : p)), finished: [...state.finished, done] };
}

export function isFinished(progress: CallProgress): boolean {
  return progress.status === 'succeeded' || progress.status === 'failed' || progress.status === 'skipped';
}

/** The calls still on the live part of the screen: running first, then pending, each in plan order. */
export function liveCalls(state: ApplyViewState): { running: CallProgress[]; pending: CallProgress[] } {
  return {
    running: state.calls.filter((p) => p.status === 'running'),
    pending: state.calls.filter((p) => p.status === 'pending'),
  };
}
