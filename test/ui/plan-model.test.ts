import { describe, expect, it } from 'vitest';
import { initialPlanViewState, planLines, planRows, planViewReducer, scrollOffset, wrapText, type Line } from '../../src/ui/plan-model.js';
import { longPlan, studioPlan } from './fixtures.js';

const text = (line: Line) =>
  line.segments
    .map((s) => s.text)
    .join('')
    .trimEnd();

describe('planRows', () => {
  it('lists changes, then resources that only have diagnostics, errors first; unchanged resources stay out', () => {
    const rows = planRows(studioPlan());
    expect(rows.map((r) => r.address)).toEqual([
      'stack/design',
      'stack/edit',
      'stack/old-lab',
      'stack/review',
      'streamingImage/studio-1/render',
      'stack/broken',
      'image/base-2021',
    ]);
    expect(rows.find((r) => r.address === 'stack/broken')).toMatchObject({ change: undefined, diagnostics: [{ severity: 'error' }] });
    expect(rows.find((r) => r.address === 'image/base-2021')?.change?.action).toBe('no-op');
  });
});

describe('planViewReducer', () => {
  const rows = planRows(studioPlan());

  it('moves within the rows and stops at both ends', () => {
    let state = planViewReducer(initialPlanViewState, 'up', rows);
    expect(state.cursor).toBe(0);
    state = planViewReducer(state, 'down', rows);
    state = planViewReducer(state, 'down', rows);
    expect(state.cursor).toBe(2);
    expect(planViewReducer(state, 'page-down', rows, 10).cursor).toBe(rows.length - 1);
    expect(planViewReducer(state, 'last', rows).cursor).toBe(rows.length - 1);
    expect(planViewReducer(state, 'first', rows).cursor).toBe(0);
  });

  it('expands and collapses the selected resource, and toggles the call list', () => {
    const down = planViewReducer(initialPlanViewState, 'down', rows);
    const expanded = planViewReducer(down, 'toggle', rows);
    expect([...expanded.expanded]).toEqual(['stack/edit']);
    expect([...planViewReducer(expanded, 'toggle', rows).expanded]).toEqual([]);
    const calls = planViewReducer(expanded, 'calls', rows);
    expect(calls.showCalls).toBe(true);
    expect(planViewReducer(calls, 'calls', rows).showCalls).toBe(false);
    // The original state is never changed.
    expect(initialPlanViewState.expanded.size).toBe(0);
  });
});

describe('planLines', () => {
  const plan = studioPlan();
  const rows = planRows(plan);

  it('shows set changes as added and removed elements and clears as (cleared)', () => {
    const lines = planLines(plan, rows, { ...initialPlanViewState, expanded: new Set(['stack/design']) }, 100).map(text);
    const design = lines.indexOf(lines.find((l) => l.includes('stack/design'))!);
    expect(lines.slice(design + 1, design + 6)).toEqual([
      '      ~ DisplayName: "Design (edited)" -> "Design"',
      '      ~ EmbedHostDomains:',
      '          + "studio.example.com"',
      '          - "old.example.com"',
      '      - RedirectURL: "https://old.example.com" -> (cleared)',
    ]);
  });

  it('keeps diagnostics under their resource whether expanded or not, and wraps long messages', () => {
    const row = rows.findIndex((r) => r.address === 'stack/broken');
    const lines = planLines(plan, rows, initialPlanViewState, 40)
      .filter((l) => l.row === row)
      .map(text);
    expect(lines).toEqual([
      expect.stringContaining('stack/broken'),
      '      ✖ error: StackErrors:',
      '               STORAGE_CONNECTOR_ERROR:',
      '               bucket not reachable',
    ]);
  });

  it('shows the plan-wide information first, wrapped: drift told by the base config, then the notes, above the calls too', () => {
    const informed = {
      ...plan,
      undeclared: [
        { address: 'stack/old-a', kind: 'stack' as const },
        { address: 'fleet/old-pool', kind: 'fleet' as const },
      ],
      unmanagedTags: [{ address: 'stack/design', keys: ['CostCenter'] }],
      baseDrift: [{ address: 'stack/design', diffs: [{ path: 'RedirectURL', before: 'https://hotfix.example.com', after: 'https://old.example.com', impact: 'update' as const }] }],
    };
    const lines = planLines(informed, planRows(informed), initialPlanViewState, 80).map(text);
    expect(lines.slice(0, 7)).toEqual([
      '~ drift: stack/design RedirectURL: AWS has "https://hotfix.example.com", the',
      '         base config declares "https://old.example.com" (changed outside',
      '         streamform since the base config was applied)',
      'ℹ note: 1 owned stack and 1 owned fleet are no longer declared; --prune would',
      '        delete them: stack/old-a, fleet/old-pool',
      'ℹ note: stack/design: tag key not managed by the config (set outside',
      '        streamform): CostCenter',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[7]).toContain('stack/');
    const calls = planLines(informed, planRows(informed), { ...initialPlanViewState, showCalls: true }, 80).map(text);
    expect(calls.indexOf('API calls, in execution order (7):')).toBe(7);
    // A plan without them starts with its resources.
    expect(planLines(plan, rows, initialPlanViewState, 80).map(text)[0]).toContain('stack/');
  });

  it('lists the calls in order with the selected resource marked and its input when expanded', () => {
    const state = { cursor: 0, expanded: new Set(['stack/design']), showCalls: true };
    const lines = planLines(plan, rows, state, 100).map(text);
    expect(lines[0]).toBe('API calls, in execution order (7):');
    expect(lines.filter((l) => l.startsWith('› '))).toEqual(['› 3. UpdateStack stack/design']);
    expect(lines[lines.indexOf('› 3. UpdateStack stack/design') + 1]).toContain('AttributesToDelete: ["REDIRECT_URL"]');
    expect(lines.at(-1)).toBe('  7. DeleteStack stack/old-lab');
  });
});

describe('scrollOffset', () => {
  const plan = longPlan(30);
  const rows = planRows(plan);

  it('follows the cursor down and up, moving as little as it can', () => {
    const lines = planLines(plan, rows, initialPlanViewState, 100);
    expect(scrollOffset(lines, 0, 10, 0)).toBe(0);
    expect(scrollOffset(lines, 9, 10, 0)).toBe(0);
    expect(scrollOffset(lines, 10, 10, 0)).toBe(1);
    expect(scrollOffset(lines, 29, 10, 0)).toBe(20);
    expect(scrollOffset(lines, 25, 10, 20)).toBe(20);
    expect(scrollOffset(lines, 5, 10, 20)).toBe(5);
  });

  it('brings all of an expanded resource into view, or its first line when it is taller than the window', () => {
    const expanded = planLines(plan, rows, { ...initialPlanViewState, cursor: 9, expanded: new Set(['stack/lab-10']) }, 100);
    expect(scrollOffset(expanded, 9, 10, 0)).toBe(1);
    expect(scrollOffset(expanded, 9, 1, 0)).toBe(9);
  });
});

describe('wrapText', () => {
  it('breaks at spaces and cuts words longer than a line', () => {
    expect(wrapText('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapText('https://example.com/x', 8)).toEqual(['https://', 'example.', 'com/x']);
  });
});
