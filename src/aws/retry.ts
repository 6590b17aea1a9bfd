/**
 * streamform's one retry policy, for reads (the describe clients retry inside `send`) and writes
 * (the applier retries each call itself, as events). The SDK's own rules, made visible.
 */
import { isThrottling } from './errors.js';

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

// The SDK's transient codes and statuses (@smithy/service-error-classification). Its throttling list
// also holds LimitExceededException, which AppStream answers for a quota (too many stacks or tags):
// waiting does not lift a quota, so it is not retried here.
const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

type SdkError = { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

/** Throttling as the SDK classifies it (see isThrottling), quota errors excluded. */
export const isThrottlingError = isThrottling;

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

/** Full jitter (the SDK's and AWS's recommended backoff), so that concurrent retries spread out. */
export function backoffDelay(policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
