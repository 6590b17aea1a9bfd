import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../src/render/text.js';
import { change, emptyPlan, mixedPlan, plan } from './fixtures.js';
import { expectGolden, stripColor } from './golden.js';

/** Any control sequence other than SGR colour (cursor moves, erases) or a carriage return. */
const NON_COLOR_CONTROL = /\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[^[]|\r/;

describe('renderPlanText', () => {
  it('shows every kind of change, the calls, the diagnostics and the summary (golden)', () => {
    expectGolden('mixed.txt', renderPlanText(mixedPlan(), { color: false }));
  });

  it('says "No changes." and hides no-op resources when nothing changes (golden)', () => {
    const text = renderPlanText(emptyPlan(), { color: false });
    expect(text).not.toContain('stack/design');
    expectGolden('empty.txt', text);
  });

  it('colours symbols, signs and severities with SGR codes only when asked', () => {
    const colored = renderPlanText(mixedPlan(), { color: true });
    const plain = renderPlanText(mixedPlan(), { color: false });
    expect(plain).not.toContain('\x1b');
    expect(colored).toContain('\x1b[32;1m+\x1b[0m \x1b[1mstack/design\x1b[0m');
    expect(colored).toContain('\x1b[35;1m-/+\x1b[0m');
    expect(colored).toContain('\x1b[31;1merror\x1b[0m');
    expect(stripColor(colored)).toBe(plain);
    expect(colored).not.toMatch(NON_COLOR_CONTROL);
  });

  it('lays long structures out one element per line in a narrow terminal, and never cuts a string', () => {
    const url = `https://portal.example.com/${'a'.repeat(120)}`;
    const p = plan({
      changes: [
        change('stack/design', 'update', {
          diffs: [
            { path: 'RedirectURL', before: 'https://portal.example.com/', after: url },
            { path: 'AccessEndpoints', before: [], after: [{ EndpointType: 'STREAMING', VpceId: 'vpce-0123456789abcdef0' }] },
          ],
        }),
      ],
    });
    const lines = renderPlanText(p, { color: false, width: 60 }).split('\n');
    expect(lines).toContain(`          + "${url}"`);
    expect(lines).toContain('          - "https://portal.example.com/"');
    expect(lines).toContain('      ~ AccessEndpoints:');
    expect(lines).toContain('                EndpointType: "STREAMING"');
  });

  it('marks a cleared value, and an attribute that only one side has', () => {
    const p = plan({
      changes: [
        change('stack/design', 'update', {
          diffs: [
            { path: 'FeedbackURL', before: 'https://f.example.com', after: null },
            { path: 'DisplayName', after: 'Design' },
          ],
        }),
      ],
    });
    const text = renderPlanText(p, { color: false });
    expect(text).toContain('      - FeedbackURL: "https://f.example.com" -> (cleared)\n');
    expect(text).toContain('      + DisplayName: "Design"\n');
  });

  it('prints diagnostics even when nothing changes, errors first and located when known', () => {
    const p = plan({
      diagnostics: [
        { severity: 'warning', address: 'image/golden', message: 'base image is old' },
        { severity: 'error', address: 'stack/x', message: 'StackErrors: STORAGE_CONNECTOR_ERROR', source: { file: 'a.yaml', line: 4, column: 3 } },
      ],
    });
    expect(renderPlanText(p, { color: false }).split('\n').slice(2)).toEqual([
      'a.yaml:4:3: error: stack/x: StackErrors: STORAGE_CONNECTOR_ERROR',
      'warning: image/golden: base image is old',
      '',
      // Never "No changes." when there are errors: the plan does not know what they hide.
      'No changes planned; 1 error.',
      '',
    ]);
  });

  it('says a plan is incomplete when a resource could not be read, never "No changes."', () => {
    const p = plan({ diagnostics: [{ severity: 'error', address: 'stack/x', message: 'ListTagsForResource failed: ThrottlingException', code: 'unread' }] });
    expect(renderPlanText(p, { color: false }).trimEnd().split('\n').at(-1)).toBe('Plan incomplete: 1 resource could not be read.');
  });

  it('lists errors in file order', () => {
    const at = (file: string, line: number) => ({ file, line, column: 5 });
    const p = plan({
      diagnostics: [
        { severity: 'error', address: 'stack/c', message: 'third', source: at('b.yaml', 2) },
        { severity: 'error', address: 'stack/a', message: 'second', source: at('a.yaml', 9) },
        { severity: 'error', address: 'stack/b', message: 'first', source: at('a.yaml', 3) },
      ],
    });
    const lines = renderPlanText(p, { color: false }).split('\n').filter((line) => line.includes('error:'));
    expect(lines.map((line) => line.split(': ').at(-1))).toEqual(['first', 'second', 'third']);
  });
});
