import { isThrottling } from '../aws/errors.js';

/**
 * How apply retries. Apply's clients make one attempt per send (maxAttempts 1) so that every retry
 * happens here and becomes an event; these are the SDK's own rules made visible.
 */
export interface RetryPolicy {
  /** Attempts per call for throttling and transient errors, the first one included. */
  maxAttempts: number;
  /** Exponential backoff: attempt n waits a random time up to min(maxDelayMs, baseDelayMs * 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long after creating a resource a "not found" from it counts as eventual consistency. */
  consistencyWindowMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 200,
  maxDelayMs: 20_000,
  consistencyWindowMs: 30_000,
};

// The SDK's classification (@smithy/service-error-classification): AppStream's LimitExceededException
// is on its throttling list, and these are its transient codes and statuses.
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

type SdkError = { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

export function isThrottlingError(error: unknown): boolean {
  return isThrottling(error) || (error as SdkError)?.name === 'LimitExceededException';
}

/** A failure that says nothing about whether the request took effect: the server may have done it. */
export function isTransientError(error: unknown): boolean {
  const err = error as SdkError;
  const status = err?.$metadata?.httpStatusCode ?? 0;
  return (
    TRANSIENT_NAMES.has(err?.name ?? '') ||
    TRANSIENT_CODES.has(err?.code ?? '') ||
    (status >= 500 && status <= 599) ||
    (err?.$retryable !== undefined && !isThrottling(error))
  );
}

export function isNotFound(error: unknown): boolean {
  return (error as SdkError)?.name === 'ResourceNotFoundException';
}

/** Full jitter (the SDK's and AWS's recommended backoff), so that concurrent retries spread out. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
