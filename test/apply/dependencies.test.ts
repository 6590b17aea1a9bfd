/** A failed resource skips what depends on it; the generic wait loop succeeds, fails and times out as its waiter says. */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor, WaitError } from '../../src/apply/waiters.js';
import type { Waiter } from '../../src/kinds/types.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { ofType, planOf, runPlan } from './plans.js';

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('dependencies in apply', () => {
  it('skips the calls of a resource whose dependency failed, says why, and still runs the others', async () => {
    emulator = await startTestEmulator({ state: { appstream: { stacks: [{ Name: 'taken' }] } } });
    const plan = planOf([
      // Fails: the stack exists already.
      { address: 'stack/taken', service: 'appstream', operation: 'CreateStack', input: { Name: 'taken' }, phase: 0 },
      { address: 'stack/dependent', service: 'appstream', operation: 'CreateStack', input: { Name: 'dependent' }, phase: 1 },
      { address: 'stack/indirect', service: 'appstream', operation: 'CreateStack', input: { Name: 'indirect' }, phase: 2 },
      { address: 'stack/free', service: 'appstream', operation: 'CreateStack', input: { Name: 'free' }, phase: 1 },
    ]);
    plan.changes.find((c) => c.address === 'stack/dependent')!.dependsOn = ['stack/taken'];
    plan.changes.find((c) => c.address === 'stack/indirect')!.dependsOn = ['stack/dependent'];
    const events = await runPlan(plan, emulator.url);
    expect(ofType(events, 'call-skipped').map((e) => [e.callId, e.reason])).toEqual([
      [2, 'skipped: stack/taken failed'],
      [3, 'skipped: stack/dependent skipped'],
    ]);
    expect(ofType(events, 'resource-finished').map((e) => `${e.address} ${e.status}`).sort()).toEqual([
      'stack/dependent skipped',
      'stack/free succeeded',
      'stack/indirect skipped',
      'stack/taken failed',
    ]);
    const summary = ofType(events, 'summary')[0].summary;
    expect(summary).toMatchObject({ succeeded: 1, failed: 1, skipped: 2 });
    expect((await emulator.getState()).appstream?.stacks?.map((s) => s.Name).sort()).toEqual(['free', 'taken']);
  });
});

describe('the generic wait loop', () => {
  const waiter: Waiter = {
    resource: (input) => `thing ${String(input.Name)}`,
    operation: 'DescribeThings',
    input: (call) => call.input,
    state: 'Things.0.State',
    success: ['RUNNING'],
    failure: ['FAILED'],
    goneIsSuccess: false,
    errors: 'Things.0.Errors',
    failOnErrors: true,
    delayMs: 5,
    maxWaitMs: 200,
  };
  /** Answers the given outputs in turn, the last one for ever. */
  const answers = (...outputs: unknown[]) => {
    let i = 0;
    return async () => outputs[Math.min(i++, outputs.length - 1)];
  };
  const thing = (State: string, Errors: unknown[] = []) => ({ Things: [{ State, Errors }] });

  it('succeeds once the state is a success state, reporting each poll that waits', async () => {
    const seen: (string | undefined)[] = [];
    await waitFor(waiter, { Name: 'a' }, answers(thing('STARTING'), thing('STARTING'), thing('RUNNING')), (state) => seen.push(state));
    expect(seen).toEqual(['STARTING', 'STARTING']);
  });

  it('fails at once on a failure state, with the resource\'s own errors', async () => {
    const error = await waitFor(waiter, { Name: 'a' }, answers(thing('FAILED', [{ ErrorCode: 'IAM_SERVICE_ROLE_MISSING', ErrorMessage: 'no role' }])), () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect((error as Error).message).toBe('thing a is FAILED: IAM_SERVICE_ROLE_MISSING: no role');
  });

  it('fails at once when the resource reports errors in a state that is not a failure (a fleet stuck STARTING)', async () => {
    const polls: string[] = [];
    const error = await waitFor(waiter, { Name: 'a' }, async () => (polls.push('poll'), thing('STARTING', [{ ErrorCode: 'SUBNET_NOT_FOUND', ErrorMessage: 'subnet gone' }])), () => undefined).catch((e: unknown) => e);
    expect((error as Error).message).toBe('thing a is STARTING: SUBNET_NOT_FOUND: subnet gone');
    expect(polls).toHaveLength(1);
  });

  it('times out after the longest wait, naming the last state', async () => {
    const error = await waitFor(waiter, { Name: 'a' }, answers(thing('STARTING')), () => undefined, { timeoutMs: 50, intervalMs: 10 }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('WaitTimeout');
    expect((error as Error).message).toMatch(/^gave up after 0 s waiting for thing a to be RUNNING \(last state: STARTING\)$/);
  });

  it('fails at once when a resource it saw disappears, rather than waiting for it to come back', async () => {
    const error = await waitFor(waiter, { Name: 'a' }, answers(thing('STARTING'), undefined), () => undefined).catch((e: unknown) => e);
    expect((error as Error).message).toBe('thing a is gone: it was deleted while streamform waited for it');
  });

  it('counts a resource that is gone as success only when the waiter says so', async () => {
    await waitFor({ ...waiter, goneIsSuccess: true }, { Name: 'a' }, answers(undefined), () => undefined);
    const error = await waitFor(waiter, { Name: 'a' }, answers(undefined), () => undefined, { timeoutMs: 30, intervalMs: 10 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/last state: not found/);
  });
});
