import { setTimeout as sleep } from 'node:timers/promises';
import type { WaitCondition } from '../plan/types.js';

/** What a wait needs to know about the streaming image at each poll (undefined: not found). */
export interface PolledImage {
  state?: string;
  statusMessage?: string;
}

export interface WaitOptions {
  timeoutMs: number;
  /** The longest time between two polls. */
  intervalMs: number;
}

/** The first pause between polls; it doubles up to `intervalMs`, so quick transitions are seen quickly. */
const FIRST_INTERVAL_MS = 100;

/** A wait that ended without the resource reaching its condition; `name` is the state or `WaitTimeout`. */
export class WaitError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

// The SDK's StreamingImageReady / StreamingImageDeleted waiters, as data. A deleted image may also
// disappear altogether, which a delete wait accepts; a new one may briefly be unknown, which a ready
// wait outlasts.
const CONDITIONS: Record<WaitCondition, { success: string; failures: string[]; notFoundIsSuccess: boolean }> = {
  StreamingImageReady: { success: 'READY', failures: ['CREATE_FAILED', 'UPDATE_FAILED'], notFoundIsSuccess: false },
  StreamingImageDeleted: { success: 'DELETED', failures: ['DELETE_FAILED'], notFoundIsSuccess: true },
};

/**
 * Polls until the streaming image meets `condition`, reporting every poll that has to wait.
 * Throws a WaitError on a failure state (with the service's status message) or after `timeoutMs`.
 */
export async function waitForStreamingImage(
  condition: WaitCondition,
  imageId: string,
  poll: () => Promise<PolledImage | undefined>,
  report: (state: string | undefined, elapsedMs: number) => void,
  options: WaitOptions,
): Promise<void> {
  const rule = CONDITIONS[condition];
  const started = Date.now();
  for (let interval = Math.min(FIRST_INTERVAL_MS, options.intervalMs); ; interval = Math.min(interval * 2, options.intervalMs)) {
    const image = await poll();
    const state = image?.state;
    if (state === rule.success || (image === undefined && rule.notFoundIsSuccess)) return;
    if (state !== undefined && rule.failures.includes(state)) {
      throw new WaitError(state, `streaming image ${imageId} is ${state}: ${image?.statusMessage ?? 'no status message'}`);
    }
    const elapsedMs = Date.now() - started;
    if (elapsedMs + interval > options.timeoutMs) {
      throw new WaitError(
        'WaitTimeout',
        `gave up after ${Math.round(elapsedMs / 1000)} s waiting for streaming image ${imageId} to be ${rule.success} (last state: ${state ?? 'not found'})`,
      );
    }
    report(state, elapsedMs);
    await sleep(interval);
  }
}
