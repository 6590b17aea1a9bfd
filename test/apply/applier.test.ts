import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/apply/applier.js';
import type { ApplyEvent } from '../../src/apply/events.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { expectEventsInOrder } from './expect-events.js';
import { ofType, planOf, runPlan } from './plans.js';

const ARN = 'arn:aws:appstream:us-east-1:123456789012';
const STUDIO = 'st-1';

let emulator: TestEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  emulator = await startTestEmulator({
    transitionMs: 30,
    ...options,
    state: {
      appstream: {
        fleets: [{ Name: 'fleet-a' }],
        stacks: [
          { Name: 'old', Tags: { 'streamform:project': 'test' } },
          { Name: 'kept', Description: 'before' },
        ],
      },
      nimble: {
        studios: [{ studioId: STUDIO, streamingImages: [{ name: 'retired', ec2ImageId: 'ami-1', streamingImageId: 'si-old', state: 'READY' }] }],
        failingAmis: ['ami-bad'],
      },
      ...options.state,
    },
  });
  return emulator;
}

const summaryOf = (events: ApplyEvent[]) => ofType(events, 'summary')[0].summary;

describe('applyPlan', () => {
  it('runs creates, updates and deletes in phase and plan order, waiting on streaming images, and reports every step', async () => {
    // Transitions long enough that the first poll always finds them in progress.
    const emu = await start({ transitionMs: 200 });
    const plan = planOf([
      { address: 'stack/new', service: 'appstream', operation: 'CreateStack', input: { Name: 'new', Tags: { 'streamform:project': 'test' } } },
      { address: 'stack/new', service: 'appstream', operation: 'AssociateFleet', input: { StackName: 'new', FleetName: 'fleet-a' } },
      { address: 'stack/kept', service: 'appstream', operation: 'UpdateStack', input: { Name: 'kept', Description: 'after' } },
      { address: 'stack/kept', service: 'appstream', operation: 'TagResource', input: { ResourceArn: `${ARN}:stack/kept`, Tags: { team: 'a' } } },
      {
        address: `streamingImage/${STUDIO}/base`,
        service: 'nimble',
        operation: 'CreateStreamingImage',
        input: { studioId: STUDIO, name: 'base', ec2ImageId: 'ami-2', clientToken: 'token-base' },
        wait: 'StreamingImageReady',
      },
      { address: 'stack/old', service: 'appstream', operation: 'DeleteStack', input: { Name: 'old' }, phase: 2 },
      {
        address: `streamingImage/${STUDIO}/retired`,
        service: 'nimble',
        operation: 'DeleteStreamingImage',
        input: { studioId: STUDIO, streamingImageId: 'si-old' },
        wait: 'StreamingImageDeleted',
        phase: 2,
      },
    ]);

    const events = await runPlan(plan, emu.url);

    expect(events[0]).toEqual({ type: 'init', plan, calls: plan.calls });
    expect(events.at(-1)).toMatchObject({ type: 'summary', summary: { succeeded: 7, failed: 0, skipped: 0, interrupted: false, failures: [] } });
    expect(exitCodeFor(summaryOf(events))).toBe(0);
    expectEventsInOrder(events, [
      { type: 'call-started', callId: 1 },
      { type: 'call-succeeded', callId: 1 },
      { type: 'call-started', callId: 2 },
      { type: 'call-succeeded', callId: 2 },
      { type: 'resource-finished', address: 'stack/new', status: 'succeeded' },
    ]);
    expectEventsInOrder(events, [
      { type: 'call-started', callId: 5 },
      { type: 'call-waiting', callId: 5, condition: 'StreamingImageReady', state: 'CREATE_IN_PROGRESS' },
      { type: 'call-succeeded', callId: 5 },
      { type: 'resource-finished', address: `streamingImage/${STUDIO}/base`, status: 'succeeded' },
    ]);
    // Phase 2 starts only when phase 1 has ended.
    const lastPhase1 = Math.max(...[1, 2, 3, 4, 5].map((id) => events.findIndex((e) => e.type === 'call-succeeded' && e.callId === id)));
    const firstPhase2 = events.findIndex((e) => e.type === 'call-started' && e.callId >= 6);
    expect(firstPhase2).toBeGreaterThan(lastPhase1);
    expectEventsInOrder(events, [
      { type: 'call-started', callId: 7 },
      { type: 'call-waiting', callId: 7, condition: 'StreamingImageDeleted', state: 'DELETE_IN_PROGRESS' },
      { type: 'call-succeeded', callId: 7 },
    ]);

    const state = await emu.getState();
    expect(state.appstream?.stacks?.map((s) => s.Name).sort()).toEqual(['kept', 'new']);
    expect(state.appstream?.stacks?.find((s) => s.Name === 'kept')).toMatchObject({ Description: 'after', Tags: { team: 'a' } });
    expect(state.appstream?.fleets?.[0].AssociatedStacks).toEqual(['new']);
    const images = state.nimble?.studios?.[0].streamingImages ?? [];
    expect(images.find((i) => i.name === 'base')?.state).toBe('READY');
    expect(images.find((i) => i.name === 'retired')?.state ?? 'DELETED').toBe('DELETED');
  });

  it('runs at most `concurrency` resources at once, and the calls of one resource one after the other', async () => {
    const emu = await start({ latencyMs: 20 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plan = planOf(
      names.flatMap((name) => [
        { address: `stack/${name}`, service: 'appstream' as const, operation: 'CreateStack', input: { Name: name } },
        { address: `stack/${name}`, service: 'appstream' as const, operation: 'UpdateStack', input: { Name: name, Description: 'd' } },
      ]),
    );
    const events = await runPlan(plan, emu.url, { concurrency: 2 });

    let inFlight = 0;
    let most = 0;
    const running = new Set<string>();
    for (const event of events) {
      if (event.type !== 'call-started' && event.type !== 'call-succeeded') continue;
      const address = plan.calls[event.callId - 1].address;
      if (event.type === 'call-started') {
        expect(running.has(address), `two calls of ${address} at once`).toBe(false);
        running.add(address);
        most = Math.max(most, ++inFlight);
      } else {
        running.delete(address);
        inFlight--;
      }
    }
    expect(most).toBe(2);
    expect(summaryOf(events).succeeded).toBe(12);
  });

  it('fails only the resource whose call fails, skips the rest of its calls, and names the AWS error', async () => {
    const emu = await start();
    const plan = planOf([
      { address: 'stack/new', service: 'appstream', operation: 'CreateStack', input: { Name: 'new' } },
      { address: 'stack/new', service: 'appstream', operation: 'AssociateFleet', input: { StackName: 'new', FleetName: 'no-such-fleet' } },
      { address: 'stack/new', service: 'appstream', operation: 'TagResource', input: { ResourceArn: `${ARN}:stack/new`, Tags: { a: 'b' } } },
      { address: 'stack/new', service: 'appstream', operation: 'UpdateStack', input: { Name: 'new', Description: 'x' }, phase: 2 },
      { address: 'stack/kept', service: 'appstream', operation: 'UpdateStack', input: { Name: 'kept', Description: 'after' } },
    ]);
    const events = await runPlan(plan, emu.url);

    expectEventsInOrder(events, [
      { type: 'call-succeeded', callId: 1 },
      { type: 'call-failed', callId: 2, error: { name: 'ResourceNotFoundException', message: /no-such-fleet/ } },
      { type: 'call-skipped', callId: 3, reason: 'an earlier call of stack/new failed' },
      { type: 'call-skipped', callId: 4 },
      { type: 'resource-finished', address: 'stack/new', status: 'failed' },
    ]);
    // The stack itself is visible: one more attempt confirms that the fleet is what is missing,
    // instead of waiting for it as if it were eventual consistency.
    expect(ofType(events, 'call-retried').filter((e) => e.callId === 2)).toHaveLength(1);
    expect((await emu.calls()).filter((c) => c.operation === 'AssociateFleet')).toHaveLength(2);
    expectEventsInOrder(events, [{ type: 'resource-finished', address: 'stack/kept', status: 'succeeded' }]);
    const summary = summaryOf(events);
    expect(summary).toMatchObject({ succeeded: 2, failed: 1, skipped: 2 });
    expect(summary.failures).toEqual([{ address: 'stack/new', callId: 2, operation: 'AssociateFleet', message: expect.stringMatching(/^ResourceNotFoundException: .*no-such-fleet/) }]);
    expect(exitCodeFor(summary)).toBe(1);
    expect((await emu.getState()).appstream?.stacks?.find((s) => s.Name === 'kept')?.Description).toBe('after');
  });

  it('retries throttling and 5xx answers with an event per retry, and gives up after maxAttempts', async () => {
    const emu = await start({ throttleRate: 0.4, errorRate: 0.1, seed: 7 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const plan = planOf(names.map((name) => ({ address: `stack/${name}`, service: 'appstream' as const, operation: 'CreateStack', input: { Name: name } })));
    const events = await runPlan(plan, emu.url, { retry: { maxAttempts: 10 } });

    const retries = ofType(events, 'call-retried');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.map((r) => r.error)).toContain('ThrottlingException: Rate exceeded');
    for (const retry of retries) expect(retry.delayMs).toBeGreaterThanOrEqual(0);
    expect(summaryOf(events)).toMatchObject({ succeeded: 8, failed: 0 });
    // Each retry is a request the emulator served: none is hidden inside the SDK.
    const served = (await emu.calls()).filter((c) => c.operation === 'CreateStack');
    expect(served).toHaveLength(8 + retries.length);
    expect((await emu.getState()).appstream?.stacks?.map((s) => s.Name).sort()).toEqual([...names, 'kept', 'old'].sort());

    await emu.close();
    emulator = undefined;
    const always = await start({ throttleRate: 1 });
    const failed = await runPlan(planOf([{ address: 'stack/z', service: 'appstream', operation: 'CreateStack', input: { Name: 'z' } }]), always.url, {
      retry: { maxAttempts: 3 },
    });
    expect(ofType(failed, 'call-retried').map((r) => r.attempt)).toEqual([1, 2]);
    expect(ofType(failed, 'call-failed')[0].error.message).toBe('ThrottlingException: Rate exceeded');
  });

  it('fails a streaming image that ends in CREATE_FAILED with its status message, and one that never gets ready in time', async () => {
    const emu = await start();
    const create = (name: string, ami: string) =>
      planOf([
        {
          address: `streamingImage/${STUDIO}/${name}`,
          service: 'nimble',
          operation: 'CreateStreamingImage',
          input: { studioId: STUDIO, name, ec2ImageId: ami, clientToken: `t-${name}` },
          wait: 'StreamingImageReady',
        },
      ]);
    const broken = await runPlan(create('broken', 'ami-bad'), emu.url);
    expect(ofType(broken, 'call-failed')[0].error).toEqual({
      name: 'CREATE_FAILED',
      message: expect.stringMatching(/^streaming image si-\S+ is CREATE_FAILED: The EC2 image ami-bad could not be imported\.$/),
    });
    expect(summaryOf(broken).failures[0].message).toMatch(/is CREATE_FAILED: The EC2 image ami-bad could not be imported/);

    await emu.close();
    const never = await start({ transitionMs: 60_000 });
    const slow = await runPlan(create('slow', 'ami-3'), never.url, { waitTimeoutMs: 300 });
    expect(ofType(slow, 'call-failed')[0].error).toEqual({
      name: 'WaitTimeout',
      message: expect.stringMatching(/^gave up after 0 s waiting for streaming image si-\S+ to be READY \(last state: CREATE_IN_PROGRESS\)$/),
    });
    expect(ofType(slow, 'call-waiting').length).toBeGreaterThanOrEqual(1);
  });

  it('on abort starts no new call, lets the calls in flight finish, and skips the rest as interrupted', async () => {
    const emu = await start({ latencyMs: 40 });
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plan = planOf(names.map((name) => ({ address: `stack/${name}`, service: 'appstream' as const, operation: 'CreateStack', input: { Name: name } })));
    const controller = new AbortController();
    const events: ApplyEvent[] = [];
    const { applyPlan, createApplyClients } = await import('../../src/apply/applier.js');
    for await (const event of applyPlan(plan, createApplyClients({ endpoint: emu.url }), { concurrency: 2, signal: controller.signal })) {
      events.push(event);
      if (event.type === 'call-started' && event.callId === 2) controller.abort();
    }

    expectEventsInOrder(events, [{ type: 'call-started', callId: 1 }, { type: 'stopping' }, { type: 'call-succeeded', callId: 1 }]);
    expectEventsInOrder(events, [{ type: 'stopping' }, { type: 'call-succeeded', callId: 2 }]);
    expect(ofType(events, 'call-started').map((e) => e.callId)).toEqual([1, 2]);
    expect(ofType(events, 'call-skipped').map((e) => [e.callId, e.reason])).toEqual([3, 4, 5, 6].map((id) => [id, 'interrupted']));
    expect(ofType(events, 'stopping')).toHaveLength(1);
    const summary = summaryOf(events);
    expect(summary).toMatchObject({ succeeded: 2, skipped: 4, interrupted: true });
    expect(exitCodeFor(summary)).toBe(1);
    expect((await emu.getState()).appstream?.stacks?.map((s) => s.Name).sort()).toEqual(['a', 'b', 'kept', 'old']);
  });

  it('refuses a plan with an operation it cannot send before making any call', async () => {
    const emu = await start();
    const plan = planOf([
      { address: 'stack/a', service: 'appstream', operation: 'CreateStack', input: { Name: 'a' } },
      { address: 'stack/a', service: 'appstream', operation: 'DeleteFleet', input: { Name: 'fleet-a' } },
    ]);
    await expect(runPlan(plan, emu.url)).rejects.toThrow('plan call 2 (stack/a): streamform cannot apply appstream:DeleteFleet');
    expect(await emu.calls()).toEqual([]);
  });
});
