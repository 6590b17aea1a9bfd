/**
 * How apply retries. Apply's clients make one attempt per send (maxAttempts 1) so that every retry
 * happens here and becomes an event; the policy is the one the describe clients follow too.
 */
export { DEFAULT_RETRY, backoffDelay, isThrottlingError, isTransientError, type RetryPolicy } from '../aws/retry.js';

export function isNotFound(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ResourceNotFoundException';
}
