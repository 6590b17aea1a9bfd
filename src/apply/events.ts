import type { Plan, PlannedCall } from '../core/plan.js';

/**
 * What the applier reports while it runs. Renderers (plain lines, JSON lines, the Ink UI)
 * consume these and nothing else; the applier never prints.
 */
export type ApplyEvent =
  /** First event: the whole ordered call list, before any call is made. */
  | { type: 'init'; plan: Plan; calls: PlannedCall[] }
  | { type: 'call-started'; callId: number; at: number }
  /** The call failed with a retryable error and will be sent again after `delayMs`. */
  | { type: 'call-retried'; callId: number; attempt: number; error: string; delayMs: number }
  /** Waiting for the resource to reach a state; repeated while the wait lasts. */
  | { type: 'call-waiting'; callId: number; condition: string; state?: string; elapsedMs: number }
  | { type: 'call-succeeded'; callId: number; durationMs: number }
  | { type: 'call-failed'; callId: number; error: { name: string; message: string }; durationMs: number }
  | { type: 'call-skipped'; callId: number; reason: string }
  | { type: 'resource-finished'; address: string; status: 'succeeded' | 'failed' | 'skipped' }
  /** Ctrl-C: no new calls start; those in flight finish. */
  | { type: 'stopping' }
  | { type: 'summary'; summary: ApplySummary };

export interface ApplyFailure {
  address: string;
  callId: number;
  operation: string;
  message: string;
}

export interface ApplySummary {
  succeeded: number;
  failed: number;
  skipped: number;
  durationMs: number;
  interrupted: boolean;
  failures: ApplyFailure[];
}
