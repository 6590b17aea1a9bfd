import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { PlanApp } from '../../src/ui/PlanApp.js';
import { longPlan, studioPlan } from './fixtures.js';
import { frameWhere, frameWith, KEY, press } from './ink.js';

afterEach(cleanup);

describe('plan view', () => {
  it('shows the header, one row per resource with drift and diagnostics, and the summary', () => {
    const app = render(<PlanApp plan={studioPlan()} mode="browse" onExit={() => {}} />);
    const frame = app.lastFrame()!;
    expect(frame.split('\n').slice(0, 2)).toEqual([
      'streamform plan · project studio · us-east-1, endpoint http://127.0.0.1:4566',
      '+1 create  ~2 update  -/+1 replace  -1 delete  · 7 API calls · 1 drifted · 1 error · 1 warning',
    ]);
    expect(frame).toMatch(/› ▸ ~ +stack\/design +update +\(drift\)/);
    expect(frame).toMatch(/ {4}- +stack\/old-lab +delete/);
    expect(frame).toMatch(/▸ -\/\+ streamingImage\/studio-1\/render +replace +Ec2ImageId changed/);
    expect(frame).toMatch(/stack\/broken +no change +✖ 1\n +✖ error: StackErrors: STORAGE_CONNECTOR_ERROR: bucket not reachable/);
    expect(frame).toMatch(/image\/base-2021 +no change +⚠ 1\n +⚠ warning: base image released/);
    expect(frame.split('\n').at(-1)).toBe('Plan: 1 to create, 2 to update, 1 to replace, 1 to delete.');
  });

  it('expands a resource with Enter and space, toggles the call list with c, and quits on q', async () => {
    const onExit = vi.fn();
    const app = render(<PlanApp plan={studioPlan()} mode="browse" onExit={onExit} />);
    await press(app, KEY.enter);
    let frame = await frameWith(app, 'EmbedHostDomains');
    expect(frame).toContain('▾ ~   stack/design');
    expect(frame).toContain('~ DisplayName: "Design (edited)" -> "Design"');
    expect(frame).toMatch(/\+ "studio\.example\.com"\n +- "old\.example\.com"/);

    await press(app, 'j', 'j', 'j', ' ');
    frame = await frameWith(app, '+ DisplayName: "Review room"');
    expect(frame).toContain('› ▾ +   stack/review');

    await press(app, 'c');
    frame = await frameWith(app, 'API calls, in execution order (7):');
    expect(frame).toContain('› 1. CreateStack stack/review');
    expect(frame).toContain('› 2. AssociateFleet stack/review');
    expect(frame).toContain('      {StackName: "review", FleetName: "review-fleet"}');
    expect(frame).toContain('  5. CreateStreamingImage streamingImage/studio-1/render, then wait for StreamingImageReady');
    expect(frame).not.toContain('stack/broken');
    expect(frame).toContain('↑↓ move · enter expand · c resources · q quit');

    await press(app, 'c');
    await frameWhere(app, (f) => !f.includes('API calls, in execution order') && f.includes('stack/broken'));
    expect(onExit).not.toHaveBeenCalled();
    await press(app, 'q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith(false));
  });

  it('scrolls a long plan within the terminal and keeps the summary line visible', async () => {
    const app = render(<PlanApp plan={longPlan(40)} mode="browse" onExit={() => {}} />);
    let frame = app.lastFrame()!;
    expect(frame.split('\n').length).toBeLessThan(24);
    expect(frame).toContain('stack/lab-01');
    expect(frame).not.toContain('stack/lab-40');
    expect(frame).toMatch(/\(↓ \d+ more\)/);

    await press(app, 'G');
    frame = await frameWith(app, '› ▸ +   stack/lab-40');
    expect(frame).not.toContain('stack/lab-01');
    expect(frame).toMatch(/\(↑ \d+ more\)/);
    expect(frame.split('\n').at(-1)).toBe('Plan: 40 to create, 0 to update, 0 to replace, 0 to delete.');

    await press(app, KEY.up, 'k');
    frame = await frameWith(app, '› ▸ +   stack/lab-38');
    expect(frame).toContain('stack/lab-40');
  });

  it('shows No changes. for an empty plan', () => {
    const plan = { ...longPlan(0), diagnostics: [] };
    const app = render(<PlanApp plan={plan} mode="browse" onExit={() => {}} />);
    expect(app.lastFrame()).toContain('No changes.');
  });
});

describe('approval', () => {
  it('applies on y, after browsing with the navigation keys', async () => {
    const onExit = vi.fn();
    const app = render(<PlanApp plan={studioPlan()} mode="confirm" onExit={onExit} />);
    expect(app.lastFrame()!.split('\n').at(-1)).toBe('Apply these changes? y/N');
    await press(app, KEY.down, KEY.enter, 'c', 'c');
    expect(onExit).not.toHaveBeenCalled();
    await press(app, 'y');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith(true));
    expect(app.lastFrame()).toContain('Apply these changes? y/N yes');
  });

  it('takes keys that arrive together (typed fast or pasted) one at a time', async () => {
    const onExit = vi.fn();
    const app = render(<PlanApp plan={studioPlan()} mode="confirm" onExit={onExit} />);
    await press(app, 'j\rcyn');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith(true));
    const frame = await frameWith(app, 'API calls, in execution order');
    expect(frame).toContain('› 4. TagResource stack/edit');
    expect(frame).toContain('Apply these changes? y/N yes');
  });

  it.each([['n'], ['q'], [KEY.escape], [KEY.ctrlC], ['x']])('cancels on %j', async (key) => {
    const onExit = vi.fn();
    const app = render(<PlanApp plan={studioPlan()} mode="confirm" onExit={onExit} />);
    await press(app, key);
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledExactlyOnceWith(false));
    expect(app.lastFrame()).toContain('Apply these changes? y/N cancelled');
  });
});
