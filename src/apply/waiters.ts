/** One wait loop for every kind's waiters (data in the kind: src/kinds/types.ts, Waiter). */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Waiter } from '../kinds/types.js';

export interface WaitOptions {
  /** The longest wait; the waiter's own maximum when unset. */
  timeoutMs?: number;
  /** The longest time between two polls; the waiter's own delay when unset. */
  intervalMs?: number;
}

/** The first pause between polls; it doubles up to the interval, so quick transitions are seen quickly. */
const FIRST_INTERVAL_MS = 100;

/** A wait that ended without the resource reaching its condition; `name` is the state or `WaitTimeout`. */
export class WaitError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The value at a dotted path ("Fleets.0.State"), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let current = value;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The resource's own error fields, as one line (a message, or a list of error objects). */
function errorsText(errors: unknown): string | undefined {
  if (typeof errors === 'string') return errors || undefined;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors
    .map((error) => (typeof error === 'object' && error !== null ? Object.values(error).filter((v) => typeof v === 'string').join(': ') : String(error)))
    .join('; ');
}

/**
 * Polls until the resource meets the waiter's success condition, reporting every poll that has to
 * wait. `poll` answers the poll operation's output, or undefined when the resource is not found.
 * Throws a WaitError on a failure state or on the resource's own errors (with them), or after the
 * longest wait.
 */
export async function waitFor(
  waiter: Waiter,
  subject: Record<string, unknown>,
  poll: () => Promise<unknown>,
  report: (state: string | undefined, elapsedMs: number) => void,
  options: WaitOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? waiter.maxWaitMs;
  const intervalMs = options.intervalMs ?? waiter.delayMs;
  const resource = waiter.resource(subject);
  const started = Date.now();
  let seen = false;
  for (let interval = Math.min(FIRST_INTERVAL_MS, intervalMs); ; interval = Math.min(interval * 2, intervalMs)) {
    const output = await poll();
    const state = valueAt(output, waiter.state) as string | undefined;
    if (waiter.success.includes(state ?? '') || (state === undefined && waiter.goneIsSuccess)) return;
    // Seen, then gone: it will not come back to be waited for.
    if (state === undefined && seen) throw new WaitError('Gone', `${resource} is gone: it was deleted while streamform waited for it`);
    seen ||= state !== undefined;
    const errors = waiter.errors ? errorsText(valueAt(output, waiter.errors)) : undefined;
    if ((state !== undefined && waiter.failure.includes(state)) || (waiter.failOnErrors && errors)) {
      throw new WaitError(state ?? 'WaitFailed', `${resource} is ${state ?? 'gone'}: ${errors ?? 'no status message'}`);
    }
    const elapsedMs = Date.now() - started;
    if (elapsedMs + interval > timeoutMs) {
      throw new WaitError('WaitTimeout', `gave up after ${Math.round(elapsedMs / 1000)} s waiting for ${resource} to be ${waiter.success.join(' or ')} (last state: ${state ?? 'not found'})`);
    }
    report(state, elapsedMs);
    await sleep(interval);
  }
}
