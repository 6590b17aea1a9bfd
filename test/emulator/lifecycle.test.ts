import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lifecycle, type LifecycleSpec } from '../../src/emulator/lifecycle.js';

interface Thing {
  state: string;
  entered: string[];
  stuck?: boolean;
}

// A builder-like resource: PENDING → CREATING → READY, and back down through DELETING.
const spec: LifecycleSpec<Thing, string> = {
  next: { PENDING: () => 'CREATING', CREATING: () => 'READY', DELETING: () => 'DELETED' },
  state: (thing) => thing.state,
  enter: (thing, state) => {
    thing.state = state;
    thing.entered.push(state);
  },
  held: (thing) => thing.stuck === true,
};

const START = Date.parse('2026-01-01T00:00:00Z');
const at = (ms: number) => vi.setSystemTime(START + ms);

afterEach(() => void vi.useRealTimers());

/** A lifecycle of 100 ms steps on a clock stopped at START, and a resource just moved to PENDING. */
function pending() {
  vi.useFakeTimers({ toFake: ['Date'], now: START });
  const lifecycle = new Lifecycle(spec, 100);
  const thing: Thing = { state: '', entered: [] };
  lifecycle.move(thing, 'PENDING');
  return { lifecycle, thing };
}

describe('Lifecycle', () => {
  it('moves a transitional state on after the duration, each step counted from the end of the one before', () => {
    const { lifecycle, thing } = pending();
    at(99);
    expect(lifecycle.settle(thing).state).toBe('PENDING');
    at(150);
    expect(lifecycle.settle(thing).state).toBe('CREATING');
    at(199);
    expect(lifecycle.settle(thing).state).toBe('CREATING');
    at(200);
    expect(lifecycle.settle(thing).state).toBe('READY');
    expect(thing.entered).toEqual(['PENDING', 'CREATING', 'READY']);
  });

  it('goes through every step that fell due since the last read, in one read', () => {
    const { lifecycle, thing } = pending();
    at(10_000);
    expect(lifecycle.settle(thing).entered).toEqual(['PENDING', 'CREATING', 'READY']);
    at(20_000);
    expect(lifecycle.settle(thing).entered).toHaveLength(3); // READY is stable
  });

  it('keeps a held resource in its transitional state; track starts the clock of a seeded one without entering it again', () => {
    const { lifecycle, thing: stuck } = pending();
    stuck.stuck = true;
    lifecycle.move(stuck, 'PENDING');
    const seeded: Thing = { state: 'DELETING', entered: [] };
    lifecycle.track(seeded);
    at(1000);
    expect(lifecycle.settle(stuck).state).toBe('PENDING');
    expect(lifecycle.settle(seeded).entered).toEqual(['DELETED']);
    expect(lifecycle.isTransitional('DELETING')).toBe(true);
    expect(lifecycle.isTransitional('READY')).toBe(false);
    expect(lifecycle.isTransitional('constructor')).toBe(false);
  });
});
