import { afterEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { expectEventsInOrder } from './expect-events.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { ofType, planOf, runPlan } from './plans.js';

const STUDIO = 'st-1';
let emulator: TestEmulator;
let openProxy: FaultProxy | undefined;

async function start(consistencyLagMs = 0): Promise<void> {
  emulator = await startTestEmulator({
    transitionMs: 20,
    consistencyLagMs,
    state: {
      appstream: { fleets: [{ Name: 'fleet-a' }], stacks: [{ Name: 'old' }] },
      nimble: { studios: [{ studioId: STUDIO }] },
    },
  });
}

/** The emulator behind a proxy that can lose answers. */
async function startBehindProxy(): Promise<FaultProxy> {
  await start();
  openProxy = await startFaultProxy(emulator.url);
  return openProxy;
}

afterEach(async () => {
  await openProxy?.close();
  openProxy = undefined;
  await emulator.close();
});

const createStack = [
  { address: 'stack/new', service: 'appstream' as const, operation: 'CreateStack', input: { Name: 'new', Tags: { 'streamform:project': 'test' } } },
  { address: 'stack/new', service: 'appstream' as const, operation: 'AssociateFleet', input: { StackName: 'new', FleetName: 'fleet-a' } },
  {
    address: 'stack/new',
    service: 'appstream' as const,
    operation: 'TagResource',
    input: { ResourceArn: 'arn:aws:appstream:us-east-1:123456789012:stack/new', Tags: { team: 'a' } },
  },
];

describe('resending after a lost answer', () => {
  it('creates one streaming image when the answer to its create is lost: the resend carries the same client token', async () => {
    const proxy = await startBehindProxy();
    proxy.loseResponses('CreateStreamingImage', 1);
    const plan = planOf([
      {
        address: `streamingImage/${STUDIO}/base`,
        service: 'nimble',
        operation: 'CreateStreamingImage',
        input: { studioId: STUDIO, name: 'base', ec2ImageId: 'ami-1', clientToken: 'plan-token-1' },
        wait: 'StreamingImageReady',
      },
    ]);
    const events = await runPlan(plan, proxy.url);

    expectEventsInOrder(events, [
      { type: 'call-retried', callId: 1, attempt: 1, error: /^ServiceUnavailableException/ },
      { type: 'call-succeeded', callId: 1 },
    ]);
    expect(proxy.seen.filter((op) => op === 'CreateStreamingImage')).toHaveLength(2);
    const images = (await emulator.getState()).nimble?.studios?.[0].streamingImages ?? [];
    expect(images.map((image) => [image.name, image.state])).toEqual([['base', 'READY']]);
  });

  it('takes "already exists" after a lost CreateStack answer, and "not found" after a lost DeleteStack answer, as done', async () => {
    const proxy = await startBehindProxy();
    proxy.loseResponses('CreateStack', 1);
    proxy.loseResponses('DeleteStack', 1);
    const plan = planOf([...createStack, { address: 'stack/old', service: 'appstream', operation: 'DeleteStack', input: { Name: 'old' } }]);
    const events = await runPlan(plan, proxy.url);

    expect(ofType(events, 'call-failed')).toEqual([]);
    expect(ofType(events, 'call-retried').map((r) => r.callId).sort()).toEqual([1, 4]);
    expect(ofType(events, 'summary')[0].summary).toMatchObject({ succeeded: 4, failed: 0 });
    const state = await emulator.getState();
    expect(state.appstream?.stacks?.map((s) => [s.Name, s.Tags])).toEqual([['new', { 'streamform:project': 'test', team: 'a' }]]);
    expect(state.appstream?.fleets?.[0].AssociatedStacks).toEqual(['new']);
  });
});

describe('eventual consistency', () => {
  it('retries a just-created stack that is not found yet, with an event per retry, until it is visible', async () => {
    // Long enough that the next call comes within it even on a busy machine.
    await start(1_000);
    const events = await runPlan(planOf(createStack), emulator.url);

    const retries = ofType(events, 'call-retried');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.callId === 2 && r.error === 'ResourceNotFoundException: Stack new does not exist.')).toBe(true);
    expectEventsInOrder(events, [
      { type: 'call-succeeded', callId: 1 },
      { type: 'call-retried', callId: 2, attempt: 1 },
      { type: 'call-succeeded', callId: 2 },
      { type: 'call-succeeded', callId: 3 },
      { type: 'resource-finished', address: 'stack/new', status: 'succeeded' },
    ]);
    expect((await emulator.getState()).appstream?.fleets?.[0].AssociatedStacks).toEqual(['new']);
  });

  it('gives up when the stack stays invisible past the consistency window', async () => {
    await start(60_000);
    const events = await runPlan(planOf(createStack), emulator.url, { retry: { consistencyWindowMs: 100 } });

    expect(ofType(events, 'call-failed')).toEqual([
      expect.objectContaining({ callId: 2, error: { name: 'ResourceNotFoundException', message: 'ResourceNotFoundException: Stack new does not exist.' } }),
    ]);
    expect(ofType(events, 'call-skipped').map((s) => s.callId)).toEqual([3]);
  });

  it('does not wait for a stack that this run did not create', async () => {
    await start(60_000);
    const events = await runPlan(planOf([{ address: 'stack/gone', service: 'appstream', operation: 'UpdateStack', input: { Name: 'gone', Description: 'x' } }]), emulator.url);
    expect(ofType(events, 'call-retried')).toEqual([]);
    expect(ofType(events, 'call-failed')[0].error.name).toBe('ResourceNotFoundException');
  });
});
