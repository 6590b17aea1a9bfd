/**
 * AWS JSON services ignore request members their input shape does not model, at any depth: the
 * emulator drops them before anything is stored. The SDK serializes only modelled members, so
 * these requests are sent by hand, the way another client (or a hand-written one) may send them.
 */
import { DescribeFleetsCommand, DescribeStacksCommand, ListTagsForResourceCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const state: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'design', Tags: { team: 'vfx' } }],
    images: [{ Name: 'base' }],
    fleets: [{ Name: 'fleet-a', ImageName: 'base' }],
  },
};

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({}, { maxAttempts: 1 });
});
afterAll(() => t.close());
beforeEach(() => t.setState(state));

async function send(operation: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'x-amz-target': `PhotonAdminProxyService.${operation}`, 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const stack = async (name: string) => (await t.clients.appstream.send(new DescribeStacksCommand({ Names: [name] }))).Stacks![0];

describe('members outside the input shape', () => {
  it('UpdateStack with Tags leaves the tags as they are', async () => {
    const reply = await send('UpdateStack', { Name: 'design', DisplayName: 'Design', Tags: { owner: 'nobody' } });
    expect(reply.status).toBe(200);
    expect(reply.body.Stack.DisplayName).toBe('Design');
    const arn = 'arn:aws:appstream:us-east-1:123456789012:stack/design';
    expect((await t.clients.appstream.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'vfx' });
  });

  it('UpdateStack with Arn, StackErrors or CreatedTime writes none of them', async () => {
    const before = await stack('design');
    const reply = await send('UpdateStack', {
      Name: 'design',
      Arn: 'arn:aws:appstream:us-east-1:999999999999:stack/other',
      StackErrors: [{ ErrorCode: 'INTERNAL_SERVICE_ERROR', ErrorMessage: 'forged' }],
      CreatedTime: 0,
    });
    expect(reply.status).toBe(200);
    expect(await stack('design')).toEqual(before);
  });

  it('CreateStack keeps no unknown member, neither in DescribeStacks nor in the state (which must load again)', async () => {
    const reply = await send('CreateStack', { Name: 'paint', Colour: { not: 'modelled' } });
    expect(reply.status).toBe(200);
    expect(reply.body.Stack).not.toHaveProperty('Colour');
    const live = await t.getState();
    expect(live.appstream!.stacks!.find((s) => s.Name === 'paint')).not.toHaveProperty('Colour');
    await t.setState(live);
  });

  it('drops unknown members inside lists of structures too', async () => {
    const reply = await send('CreateStack', { Name: 'paint', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS', Quota: 10 }] });
    expect(reply.status).toBe(200);
    // Read raw: the SDK would drop the unknown member from its output by itself.
    expect(reply.body.Stack.StorageConnectors).toEqual([{ ConnectorType: 'HOMEFOLDERS' }]);
    expect((await t.getState()).appstream!.stacks!.find((s) => s.Name === 'paint')!.StorageConnectors).toEqual([{ ConnectorType: 'HOMEFOLDERS' }]);
  });

  it('UpdateFleet with State or ComputeCapacityStatus changes neither', async () => {
    const reply = await send('UpdateFleet', { Name: 'fleet-a', State: 'RUNNING', ComputeCapacityStatus: { Desired: 9, Running: 9 } });
    expect(reply.status).toBe(200);
    const { Fleets } = await t.clients.appstream.send(new DescribeFleetsCommand({ Names: ['fleet-a'] }));
    expect(Fleets![0]).toMatchObject({ State: 'STOPPED', ComputeCapacityStatus: { Desired: 1, Running: 0 } });
  });
});
