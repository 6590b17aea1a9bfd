import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { confirmPlan, showPlan } from '../../src/ui/index.js';
import { studioPlan } from './fixtures.js';

/** Under the test runner standard input is not a terminal: the UI has no keyboard to read. */
describe.runIf(!process.stdin.isTTY)('without a keyboard', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('refuses to ask for approval, pointing to --yes', async () => {
    await expect(confirmPlan(studioPlan())).rejects.toThrow(
      new UserError('cannot ask for approval: standard input is not a terminal; pass --yes to apply without asking'),
    );
  });

  it('prints the plan as text instead of a view that could not be left', async () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    await showPlan(studioPlan());
    const text = written.join('');
    expect(text).toContain('Plan for project "studio"');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to create, 2 to update, 1 to replace, 1 to delete.');
  });
});
