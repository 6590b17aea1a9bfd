import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplyEvent } from '../../src/apply/events.js';
import { ApplyApp, type ApplyOutcome } from '../../src/ui/ApplyApp.js';
import { ApplyView } from '../../src/ui/ApplyView.js';
import { applyEvent, initialApplyViewState } from '../../src/ui/apply-model.js';
import { longPlan, studioRun } from './fixtures.js';
import { Channel, frameWhere, frameWith, KEY, press } from './ink.js';

afterEach(cleanup);

const fold = (events: ApplyEvent[], now: number) => events.reduce((state, event) => applyEvent(state, event, now), initialApplyViewState);

describe('ApplyView', () => {
  const run = studioRun();

  it('lists every call at once: finished above, then running with their retries and waits, then pending', () => {
    const app = render(<ApplyView state={fold(run.slice(0, 13), 3_000)} now={4_500} rows={40} />);
    const lines = app.lastFrame()!.split('\n');
    expect(lines[0]).toBe('streamform apply · project studio · us-east-1, endpoint http://127.0.0.1:4566 · 7 calls');
    expect(lines.slice(2).map((l) => l.trimEnd())).toEqual([
      '✔ 1 CreateStack          stack/review                    120ms',
      '✖ 2 AssociateFleet       stack/review                    80ms Fleet review-fleet not found',
      '✔ 3 UpdateStack          stack/design                    900ms (1 retry)',
      '✔ 4 TagResource          stack/edit                      50ms',
      expect.stringMatching(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 5 CreateStreamingImage streamingImage\/studio-1\/render  waiting for READY \(CREATE_IN_PROGRESS\), 2s$/),
      '· 6 DeleteStreamingImage streamingImage/studio-1/render  pending',
      '· 7 DeleteStack          stack/old-lab                   pending',
    ]);
  });

  it('shows a retry while it lasts, with the elapsed time of the call', () => {
    const app = render(<ApplyView state={fold(run.slice(0, 4), 1_000)} now={2_300} rows={40} />);
    expect(app.lastFrame()).toMatch(/ 3 UpdateStack +stack\/design +1\.3s retry 2 in 400ms: ThrottlingException/);
    expect(app.lastFrame()).toMatch(/ 1 CreateStack +stack\/review +1\.3s\n/);
  });

  it('ends with a summary naming every failure', () => {
    const app = render(<ApplyView state={fold(run, 9_000)} now={10_000} rows={40} />);
    const frame = app.lastFrame()!;
    expect(frame).toContain('↷ 7 DeleteStack          stack/old-lab                   skipped: stack/review failed');
    expect(frame).toContain('Apply finished with problems: 5 succeeded, 1 failed, 1 skipped in 9.4s.');
    expect(frame).toContain('✖ stack/review AssociateFleet (call 2): ResourceNotFoundException: Fleet review-fleet not found');
    expect(frame).not.toContain('pending');
  });

  it('counts the pending calls that do not fit the terminal instead of listing them', () => {
    const plan = longPlan(30);
    const app = render(<ApplyView state={fold([{ type: 'init', plan, calls: plan.calls }], 0)} now={0} rows={12} />);
    const frame = app.lastFrame()!;
    expect(frame).toContain('stack/lab-01');
    expect(frame).not.toContain('stack/lab-30');
    expect(frame).toMatch(/… 2\d more pending/);
    expect(frame.split('\n').length - 2).toBeLessThan(12);
  });
});

describe('ApplyApp', () => {
  it('follows the events as they come and hands back the summary', async () => {
    const events = new Channel<ApplyEvent>();
    const onExit = vi.fn<(outcome: ApplyOutcome) => void>();
    const app = render(<ApplyApp events={events} onExit={onExit} />);
    const run = studioRun();
    events.push(...run.slice(0, 2));
    await frameWhere(app, (f) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1 CreateStack/.test(f) && f.includes('· 7 DeleteStack'));
    events.push(...run.slice(2));
    events.close();
    const frame = await frameWith(app, 'Apply finished with problems');
    expect(frame).toContain('✔ 6 DeleteStreamingImage');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith({ kind: 'finished', summary: expect.objectContaining({ failed: 1 }) }));
  });

  it('shows that it is stopping on the first Ctrl-C and gives up on the second', async () => {
    const events = new Channel<ApplyEvent>();
    const onInterrupt = vi.fn();
    const onExit = vi.fn();
    const app = render(<ApplyApp events={events} onInterrupt={onInterrupt} onExit={onExit} />);
    events.push(...studioRun().slice(0, 3));
    await frameWith(app, '3 UpdateStack');
    await press(app, KEY.ctrlC);
    const frame = await frameWith(app, 'stopping…');
    expect(frame).toContain('waiting for 2 calls in flight (Ctrl-C again to exit now)');
    expect(onInterrupt).toHaveBeenCalledOnce();
    expect(onExit).not.toHaveBeenCalled();
    await press(app, KEY.ctrlC);
    expect(onInterrupt).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith({ kind: 'abandoned' }));
  });

  it('hands back the error when the event stream fails', async () => {
    const events = new Channel<ApplyEvent>();
    const onExit = vi.fn();
    render(<ApplyApp events={events} onExit={onExit} />);
    const error = new Error('plan call 3: cannot apply');
    events.fail(error);
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith({ kind: 'failed', error }));
  });
});
