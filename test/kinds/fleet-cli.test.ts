/**
 * `streamform plan` and `streamform apply` on fleets, the built CLI against the emulator: a change
 * that stops a running fleet is shown as an interruption and applied only with --allow-interruption.
 */
import { expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace } from '../apply/cli.js';

const ACCOUNT: EmulatorState = {
  appstream: {
    images: [{ Name: 'base' }],
    // Two users are streaming.
    fleets: [{ Name: 'design', State: 'RUNNING', FleetType: 'ALWAYS_ON', ImageName: 'base', ComputeCapacityStatus: { Desired: 3, InUse: 2 }, Tags: { [OWNER_TAG]: 'shop' } }],
  },
};

const CONFIG = `version: 1
project: shop
fleets:
  - Name: design
    FleetType: ALWAYS_ON
    ImageName: base
    InstanceType: stream.standard.large
    ComputeCapacity: { DesiredInstances: 3 }
`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'fleets.yaml': CONFIG }, ACCOUNT, (w, e) => ((work = w), (emulator = e)));

const mutations = async () => (await emulator.calls()).map((c) => c.operation).filter((op) => /^(Create|Update|Delete|Start|Stop|Associate|Disassociate|Tag|Untag)/.test(op));

it('plan shows whose sessions a stop ends, beside the attributes that need it', async () => {
  const result = await streamform(['plan', '-f', 'fleets.yaml', '--endpoint', emulator.url], work);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('# interrupts users: stops fleet design: ends its 2 active sessions');
  expect(result.stdout).toMatch(/~ InstanceType: "stream\.standard\.medium" -> "stream\.standard\.large" +# interrupts users\n/);
  expect(result.stdout).toContain(
    '  1. StopFleet fleet/design, then wait for FleetStopped\n  2. UpdateFleet fleet/design\n  3. StartFleet fleet/design, then wait for FleetStarted\n  4. TagResource fleet/design\n',
  );
});

it('apply refuses without --allow-interruption and changes nothing; with it, stops, updates, starts, and the next plan is clean', async () => {
  const refused = await streamform(['apply', '-f', 'fleets.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toBe(
    'streamform: apply: the plan interrupts users (fleet/design: stops fleet design: ends its 2 active sessions); nothing was applied; run again with --allow-interruption to do it\n',
  );
  expect(await mutations()).toEqual([]);

  const applied = await streamform(['apply', '-f', 'fleets.yaml', '--endpoint', emulator.url, '--yes', '--allow-interruption'], work);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect(await mutations()).toEqual(['StopFleet', 'UpdateFleet', 'StartFleet', 'TagResource']);
  const next = await streamform(['plan', '-f', 'fleets.yaml', '--endpoint', emulator.url, '--detailed-exitcode'], work);
  expect(next.code, next.stdout).toBe(0);
  expect(next.stdout).toMatch(/\nNo changes\.\n$/);
});
