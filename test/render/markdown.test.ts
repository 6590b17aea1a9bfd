import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../src/core/plan.js';
import { GITHUB_COMMENT_LIMIT, planMarker, renderPlanMarkdown } from '../../src/render/markdown.js';
import { calls, change, emptyPlan, mixedPlan, plan } from './fixtures.js';
import { expectGolden } from './golden.js';

/** `count` stack changes of the given action, each with a diff of a few hundred characters. */
function stacks(count: number, action: ResourceChange['action'], extra: Partial<ResourceChange> = {}): ResourceChange[] {
  return Array.from({ length: count }, (_, i) =>
    change(`stack/${action}-${String(i).padStart(4, '0')}`, action, {
      diffs: [
        { path: 'Description', before: `old description ${i} `.repeat(8), after: `new description ${i} `.repeat(8) },
        { path: 'EmbedHostDomains', added: [`a${i}.example.com`, `b${i}.example.com`], removed: [`c${i}.example.com`] },
      ],
      ...extra,
    }),
  );
}

function hugePlan() {
  const changes = [
    ...stacks(1500, 'create'),
    ...stacks(1500, 'update'),
    ...stacks(3, 'update', { address: 'x', drift: true }).map((c, i) => ({ ...c, address: `stack/drifted-${i}` })),
    ...stacks(40, 'delete'),
    change('streamingImage/studio-1/base', 'replace', { diffs: [{ path: 'Ec2ImageId', impact: 'replace', before: 'ami-1', after: 'ami-2' }] }),
  ];
  return plan({
    changes,
    calls: calls(...changes.map((c): [string, string, Record<string, unknown>] => [c.address, 'UpdateStack', { Name: c.address, Description: 'x'.repeat(100) }])),
    diagnostics: [{ severity: 'error', address: 'stack/update-0007', message: 'StackErrors: STORAGE_CONNECTOR_ERROR' }],
  });
}

/** Every fence opened is closed and every <details> ends, so nothing after a cut swallows the rest. */
function expectWellFormed(markdown: string) {
  expect(markdown.split('\n').filter((line) => /^`{3,}/.test(line)).length % 2).toBe(0);
  expect(markdown.match(/<details>/g)?.length ?? 0).toBe(markdown.match(/<\/details>/g)?.length ?? 0);
}

describe('renderPlanMarkdown', () => {
  it('renders the PR comment (golden)', () => {
    expectGolden('mixed.md', renderPlanMarkdown(mixedPlan()));
  });

  it('renders a plan without changes (golden)', () => {
    const markdown = renderPlanMarkdown(emptyPlan());
    expect(markdown).not.toContain('[!WARNING]');
    expect(markdown).not.toContain('<details>');
    expectGolden('empty.md', markdown);
  });

  it('starts with the hidden marker naming the project, which nothing in a name can close early', () => {
    expect(renderPlanMarkdown(mixedPlan()).split('\n')[0]).toBe('<!-- streamform:plan project=studio -->');
    expect(planMarker('a--b-->c')).toBe('<!-- streamform:plan project=a-b->c -->');
  });

  it('heads a drift report with its own marker, title and summary, the rest as for a plan', () => {
    const planLines = renderPlanMarkdown(mixedPlan()).split('\n');
    const driftLines = renderPlanMarkdown(mixedPlan(), { kind: 'drift', summary: 'Drift: 2 resources changed outside streamform.' }).split('\n');
    expect(driftLines.slice(0, 6)).toEqual([
      '<!-- streamform:drift project=studio -->',
      '### streamform drift report for `studio`',
      '',
      planLines[3],
      '',
      '**Drift: 2 resources changed outside streamform.**',
    ]);
    expect(driftLines.slice(6)).toEqual(planLines.slice(6));
  });

  it('warns about a replacement even when nothing is deleted', () => {
    const markdown = renderPlanMarkdown(plan({ changes: [change('streamingImage/s/base', 'replace', { reason: 'Ec2ImageId changes' })] }));
    expect(markdown).toContain('> [!WARNING]\n> **This plan deletes or replaces 1 resource:**\n> - `-/+ streamingImage/s/base` replace: Ec2ImageId changes');
  });

  it('keeps a value with backticks inside its code block', () => {
    const markdown = renderPlanMarkdown(plan({ changes: [change('stack/a', 'update', { diffs: [{ path: 'Description', before: 'x', after: 'see ```code```' }] })] }));
    expect(markdown).toContain('````diff\n! Description: "x" -> "see ```code```"\n````');
  });

  it('escapes Markdown in diagnostics so a message cannot break the comment', () => {
    const markdown = renderPlanMarkdown(plan({ diagnostics: [{ severity: 'error', message: 'bad <script> in *name* | x' }] }));
    expect(markdown).toContain('- **error** bad \\<script\\> in \\*name\\* \\| x');
  });

  it('first drops the call list when only that is too long', () => {
    const p = mixedPlan();
    const full = renderPlanMarkdown(p);
    const callsStart = full.indexOf('<details><summary>API calls');
    const markdown = renderPlanMarkdown(p, { maxLength: callsStart + 700 });
    expect(markdown).not.toContain('API calls in execution order');
    expect(markdown).toContain('<details><summary><code>~ stack/review</code> update (drift)</summary>');
    expect(markdown).toContain("This comment is shortened to stay within GitHub's");
    expect(markdown).toMatch(/not shown: the API call list\.\n/);
    expect(markdown.length).toBeLessThanOrEqual(callsStart + 700);
  });

  it("fits a huge plan under GitHub's limit, keeping what matters most and saying what is left out", () => {
    const p = hugePlan();
    const markdown = renderPlanMarkdown(p);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 5_000);
    expectWellFormed(markdown);
    expect(markdown.split('\n')[0]).toBe('<!-- streamform:plan project=studio -->');
    expect(markdown).toContain('**Plan: 1500 to create, 1503 to update, 1 to replace, 40 to delete.**');
    expect(markdown).toContain('> **This plan deletes or replaces 41 resources:**');
    expect(markdown).toContain('> - … and 31 more');
    expect(markdown).toContain('- **error** `stack/update-0007`: StackErrors: STORAGE\\_CONNECTOR\\_ERROR');
    // What matters most keeps its diff: the resource in error, the replacement, deletions, drift.
    for (const kept of ['stack/update-0007', 'streamingImage/studio-1/base', 'stack/delete-0039', 'stack/drifted-2']) {
      expect(markdown).toContain(`${kept}</code>`);
    }
    expect(markdown).not.toContain('API calls in execution order');
    expect(markdown).not.toContain('<code>+ stack/create-');
    expect(markdown).toMatch(/- … and \d+ more not shown/);
    expect(markdown).toMatch(/not shown: the API call list, the diffs of \d+ resources, \d+ resources\.\n> Run `streamform plan --format json`/);
  });

  it('keeps even the errors within the limit when they alone are too many', () => {
    const diagnostics = Array.from({ length: 5_000 }, (_, i) => ({ severity: 'error' as const, address: `stack/s${i}`, message: 'x'.repeat(40) }));
    const markdown = renderPlanMarkdown(plan({ diagnostics }));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toContain('> The plan has 5000 errors');
    expect(markdown).toMatch(/not shown: \d+ of the errors and warnings\./);
  });
});
