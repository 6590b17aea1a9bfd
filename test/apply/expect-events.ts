import { expect } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.js';

/** An expected event: its type plus only the fields a test cares about (nested objects match partially too). */
export type ExpEvent = { type: ApplyEvent['type'] } & Record<string, unknown>;

/** Whether `actual` has every field of `expected` (objects partially, arrays element by element). */
export function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matchesPartially(actual[i], item));
  }
  if (expected instanceof RegExp) return typeof actual === 'string' && expected.test(actual);
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([key, value]) => matchesPartially((actual as Record<string, unknown>)[key], value));
  }
  return Object.is(actual, expected);
}

/**
 * Asserts that the expected events occur in this order among the actual ones (others may come in
 * between), as cli-utils' VerifyEvents does. On failure, shows where matching stopped.
 */
export function expectEventsInOrder(actual: ApplyEvent[], expected: ExpEvent[]): void {
  let next = 0;
  for (const event of actual) {
    if (next < expected.length && matchesPartially(event, expected[next])) next++;
  }
  if (next < expected.length) {
    expect.fail(
      `expected event #${next + 1} ${JSON.stringify(expected[next])} not found in order; events were:\n` +
        actual.map((event) => '  ' + JSON.stringify(event, (key, value) => (key === 'plan' ? '<plan>' : value))).join('\n'),
    );
  }
}

/** Collects a whole run. */
export async function collect(events: AsyncIterable<ApplyEvent>): Promise<ApplyEvent[]> {
  const all: ApplyEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}
