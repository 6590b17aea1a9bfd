/**
 * Injected faults, decided on arrival of each service request. Seeded, so a run can be repeated:
 * a token bucket of `rateLimit` requests per second (burst = rateLimit), then `throttleRate` and
 * `errorRate` drawn from the PRNG.
 */
import { seededRandom } from './random.js';

export type Fault = 'throttle' | 'error500' | 'error503';

export interface FaultOptions {
  throttleRate?: number;
  errorRate?: number;
  rateLimit?: number;
  seed?: number;
}

export function faultInjector(options: FaultOptions, now: () => number = Date.now): () => Fault | undefined {
  const random = seededRandom(options.seed ?? 1);
  const rate = options.rateLimit ?? 0;
  let tokens = rate;
  let refilledAt = now();

  const overRate = (): boolean => {
    if (rate <= 0) return false;
    const t = now();
    tokens = Math.min(rate, tokens + ((t - refilledAt) / 1000) * rate);
    refilledAt = t;
    if (tokens < 1) return true;
    tokens -= 1;
    return false;
  };

  return () => {
    if (overRate()) return 'throttle';
    if (options.throttleRate && random() < options.throttleRate) return 'throttle';
    if (options.errorRate && random() < options.errorRate) return random() < 0.5 ? 'error500' : 'error503';
    return undefined;
  };
}
