import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { Plan } from '../../src/core/plan.js';
import { parsePlanFile, renderPlanJson } from '../../src/render/json.js';
import { mixedPlan } from './fixtures.js';
import { expectGolden } from './golden.js';

/** Values the plan carries as they are (call inputs, attribute values): their key order is theirs. */
const FREE_FORM = new Set(['input', 'before', 'after', 'added', 'removed']);

/** The same plan with the keys of every object of the format in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, FREE_FORM.has(k) ? v : reversedKeys(v)]),
  );
}

/** The error parsePlanFile throws for `mutate` applied to a valid plan. */
function refusal(mutate: (plan: Record<string, any>) => void): string {
  const data = JSON.parse(renderPlanJson(mixedPlan()));
  mutate(data);
  return refusalOf(JSON.stringify(data));
}

function refusalOf(text: string): string {
  try {
    parsePlanFile(text, 'plan.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('the plan file was accepted');
}

describe('renderPlanJson', () => {
  it('writes the documented format (golden)', () => {
    expectGolden('mixed.json', renderPlanJson(mixedPlan()));
  });

  it('puts keys in the documented order whatever order the plan object has', () => {
    const text = renderPlanJson(reversedKeys(mixedPlan()) as Plan);
    expect(text).toBe(renderPlanJson(mixedPlan()));
    expect(Object.keys(JSON.parse(text))).toEqual([
      'formatVersion',
      'project',
      'configDigest',
      'configFiles',
      'target',
      'createdAt',
      'changes',
      'calls',
      'diagnostics',
      'summary',
    ]);
  });
});

describe('parsePlanFile', () => {
  it('reads back what renderPlanJson wrote', () => {
    const plan = mixedPlan();
    expect(parsePlanFile(renderPlanJson(plan))).toEqual(plan);
  });

  it.each([
    ['', 'plan.json: not valid JSON (Unexpected end of JSON input)'],
    ['[1, 2]', 'plan.json: not a streamform plan: expected a JSON object, got a list'],
    ['{"project": "studio"}', 'plan.json: not a streamform plan: formatVersion is missing'],
    ['{"formatVersion": "1"}', 'plan.json: plan format version "1" is not supported (this streamform reads "2"); run plan again'],
    ['{"formatVersion": "3"}', 'plan.json: plan format version "3" is not supported (this streamform reads "2"); run plan again'],
  ])('refuses %j with one precise line', (text, message) => {
    expect(refusalOf(text)).toBe(message);
  });

  it.each<[string, (plan: Record<string, any>) => void, string]>([
    ['a missing field', (p) => delete p.changes[1].action, 'plan.json: changes[1].action is missing'],
    ['an unknown field', (p) => (p.calls[0].retries = 3), 'plan.json: calls[0].retries is not a field of a streamform plan'],
    ['an unknown action', (p) => (p.changes[0].action = 'destroy'), 'plan.json: changes[0].action must be one of create, update, replace, delete, no-op, got "destroy"'],
    ['a wrong type', (p) => (p.changes[0].drift = 'yes'), 'plan.json: changes[0].drift must be true or false, got "yes"'],
    ['a wrong nested type', (p) => (p.changes[0].source.line = 0), 'plan.json: changes[0].source.line must be a positive integer, got 0'],
    ['a list where an object belongs', (p) => (p.calls[2].input = []), 'plan.json: calls[2].input must be an object, got a list'],
    ['calls out of order', (p) => ([p.calls[0], p.calls[1]] = [p.calls[1], p.calls[0]]), 'plan.json: calls[0].id must be 1 (calls are numbered in execution order), got 2'],
    ['a phase going back', (p) => (p.calls[7].phase = 2), 'plan.json: calls[7].phase goes back from 4 to 2'],
    ['a call for no change', (p) => (p.calls[3].address = 'stack/ghost'), 'plan.json: calls[3].address "stack/ghost" is not one of the changes'],
    ['an address of another kind', (p) => (p.changes[0].kind = 'image'), 'plan.json: changes[0].address must be "image/<name>" for kind image, got "stack/design"'],
    ['a repeated address', (p) => (p.changes[1].address = 'stack/design'), 'plan.json: changes[1].address repeats "stack/design"'],
    ['a summary that disagrees', (p) => (p.summary.delete = 0), 'plan.json: summary.delete is 0 but 1 change(s) have action delete'],
  ])('refuses %s with one precise line', (_case, mutate, message) => {
    expect(refusal(mutate)).toBe(message);
  });
});
