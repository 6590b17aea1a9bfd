import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.js';
import { applyEvent, initialApplyViewState, liveCalls, type ApplyViewState } from '../../src/ui/apply-model.js';
import { studioRun } from './fixtures.js';

const fold = (events: ApplyEvent[], now = 5_000): ApplyViewState => events.reduce((state, event) => applyEvent(state, event, now), initialApplyViewState);
const statusOf = (state: ApplyViewState) => Object.fromEntries(state.calls.map((p) => [p.call.id, p.status]));

describe('applyEvent', () => {
  const run = studioRun();

  it('starts with every call pending, in plan order', () => {
    const state = fold(run.slice(0, 1));
    expect(state.calls.map((p) => [p.call.id, p.status])).toEqual([1, 2, 3, 4, 5, 6, 7].map((id) => [id, 'pending']));
    expect(state.finished).toEqual([]);
  });

  it('shows a retry on the running call while it lasts and counts it once the call is done', () => {
    const retrying = fold(run.slice(0, 4));
    expect(retrying.calls[2]).toMatchObject({
      status: 'running',
      startedAt: 1_000,
      retries: 1,
      retry: { attempt: 2, error: 'ThrottlingException: Rate exceeded', delayMs: 400 },
    });
    const done = fold(run.slice(0, 9));
    expect(done.calls[2]).toMatchObject({ status: 'succeeded', durationMs: 900, retries: 1, retry: undefined });
  });

  it('places a wait on the clock of arrival and keeps its start while the same wait goes on', () => {
    const waiting = fold(run.slice(0, 13), 3_000);
    expect(waiting.calls[4].wait).toEqual({ condition: 'StreamingImageReady', state: 'CREATE_IN_PROGRESS', since: 2_000 });
    const later = applyEvent(
      waiting,
      { type: 'call-waiting', callId: 5, condition: 'StreamingImageReady', state: 'CREATE_IN_PROGRESS', elapsedMs: 5_900 },
      7_950,
    );
    expect(later.calls[4].wait?.since).toBe(2_000);
    const done = applyEvent(later, { type: 'call-succeeded', callId: 5, durationMs: 6_000 }, 8_000);
    expect(done.calls[4].wait).toBeUndefined();
  });

  it('moves finished calls to the finished list in the order they finished, each once', () => {
    const state = fold(run);
    expect(state.finished.map((p) => [p.call.id, p.status])).toEqual([
      [1, 'succeeded'],
      [2, 'failed'],
      [3, 'succeeded'],
      [4, 'succeeded'],
      [5, 'succeeded'],
      [6, 'succeeded'],
      [7, 'skipped'],
    ]);
    expect(state.finished[1].error).toBe('Fleet review-fleet not found');
    expect(state.finished[6].skipReason).toBe('stack/review failed');
    const again = applyEvent(state, { type: 'call-succeeded', callId: 2, durationMs: 1 }, 9_000);
    expect(again.finished).toHaveLength(7);
    expect(statusOf(again)[2]).toBe('failed');
  });

  it('keeps the summary and the stopping flag', () => {
    const stopping = fold([...run.slice(0, 3), { type: 'stopping' }]);
    expect(stopping.stopping).toBe(true);
    expect(liveCalls(stopping)).toMatchObject({ running: [{ call: { id: 1 } }, { call: { id: 3 } }] });
    expect(liveCalls(stopping).pending.map((p) => p.call.id)).toEqual([2, 4, 5, 6, 7]);
    expect(fold(run).summary).toMatchObject({ succeeded: 5, failed: 1, skipped: 1, interrupted: false });
  });
});
