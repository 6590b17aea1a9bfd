/**
 * Fleet calls carry no idempotency token: when the answer to one is lost after it took effect, the
 * resend's answer tells that it did (the kind's retry facts), and apply goes on without a duplicate.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { startFaultProxy, type FaultProxy } from '../apply/fault-proxy.js';
import { ofType, planOf, runPlan } from '../apply/plans.js';

let emulator: TestEmulator;
let proxy: FaultProxy;
beforeAll(async () => {
  emulator = await startTestEmulator({
    transitionMs: 20,
    state: { appstream: { images: [{ Name: 'base' }], fleets: [{ Name: 'old', ImageName: 'base' }, { Name: 'busy', ImageName: 'base', State: 'RUNNING' }] } },
  });
  proxy = await startFaultProxy(emulator.url);
});
afterAll(async () => {
  await proxy.close();
  await emulator.close();
});

it('takes "already exists", "not found" and "already starting or stopping" after lost answers as done', async () => {
  for (const operation of ['CreateFleet', 'StartFleet', 'StopFleet', 'DeleteFleet']) proxy.loseResponses(operation, 1);
  const create = { Name: 'new', ImageName: 'base', InstanceType: 'stream.standard.medium', ComputeCapacity: { DesiredInstances: 1 } };
  const events = await runPlan(
    planOf([
      { address: 'fleet/new', service: 'appstream', operation: 'CreateFleet', input: create },
      { address: 'fleet/new', service: 'appstream', operation: 'StartFleet', input: { Name: 'new' }, wait: 'FleetStarted' },
      { address: 'fleet/busy', service: 'appstream', operation: 'StopFleet', input: { Name: 'busy' }, wait: 'FleetStopped' },
      { address: 'fleet/old', service: 'appstream', operation: 'DeleteFleet', input: { Name: 'old' } },
    ]),
    proxy.url,
  );
  expect(ofType(events, 'call-failed')).toEqual([]);
  expect(ofType(events, 'call-retried').map((r) => r.callId).sort()).toEqual([1, 2, 3, 4]);
  for (const operation of ['CreateFleet', 'StartFleet', 'StopFleet', 'DeleteFleet']) expect(proxy.seen.filter((op) => op === operation), operation).toHaveLength(2);
  const fleets = (await emulator.getState()).appstream?.fleets ?? [];
  expect(fleets.map((f) => [f.Name, f.State]).sort()).toEqual([
    ['busy', 'STOPPED'],
    ['new', 'RUNNING'],
  ]);
});
