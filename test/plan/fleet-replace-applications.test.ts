/**
 * A fleet replaced across FleetType, against the emulator with the real SDK: applications are
 * offered on Elastic fleets only, so an Elastic fleet that goes lets go of the declared applications
 * that keep it before its delete, one that a declared application names is not replaced, and the
 * applications that name a fleet that becomes Elastic are associated with it once it is. The
 * emulator holds a fleet created again under a deleted one's name to offer none of its applications.
 */
import { CreateFleetCommand, DeleteFleetCommand, DescribeApplicationFleetAssociationsCommand } from '@aws-sdk/client-appstream';
import { expect, test } from 'vitest';
import type { ApplicationConfig, AppBlockConfig, FleetConfig } from '../../src/config/types.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { applicationsNamed } from '../kinds/entitlement-fixtures.js';
import { apply, callList, config, convergeClean, planWith, PROJECT, useAccount } from './helpers.js';

const owned = { [OWNER_TAG]: PROJECT };
const MAYA_ARN = 'arn:aws:appstream:us-east-1:123456789012:application/maya';
/** One fleet el, of either type. */
const FLEET = { Name: 'el', InstanceType: 'stream.standard.medium' };
const ELASTIC: FleetConfig = { ...FLEET, FleetType: 'ELASTIC', Platform: 'WINDOWS_SERVER_2019', MaxConcurrentSessions: 2, VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'] } };
const ON_DEMAND: FleetConfig = { ...FLEET, FleetType: 'ON_DEMAND', ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } };
const { appBlocks, applications } = applicationsNamed('maya');
const [MAYA_STATE] = applications!;
const BLOCK = { ...appBlocks![0], Tags: {} } as unknown as AppBlockConfig;
const MAYA: ApplicationConfig = { Name: 'maya', AppBlock: 'apps', IconS3Location: MAYA_STATE.IconS3Location as ApplicationConfig['IconS3Location'], LaunchPath: 'C:\\maya.exe', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'] };

/** This project's fleet el (as `fleet` seeds it), app block apps and application maya, with whatever else `more` seeds. */
const account = (fleet: Record<string, unknown>, more: NonNullable<EmulatorState['appstream']> = {}): EmulatorState => ({
  appstream: {
    images: [{ Name: 'base', Platform: 'WINDOWS_SERVER_2022' }],
    fleets: [{ ...fleet, Tags: owned } as never],
    appBlocks: [{ ...appBlocks![0], Tags: owned }],
    applications: [{ ...MAYA_STATE, Tags: owned }],
    ...more,
  },
});
/** The Elastic fleet el, in `State`, offering maya. */
const associatedElastic = (State = 'RUNNING') => account({ ...ELASTIC, State }, { applicationFleetAssociations: [{ FleetName: 'el', ApplicationArn: MAYA_ARN }] });

const errors = (plan: { diagnostics: { severity: string; address?: string; message: string }[] }) => plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.address}: ${d.message}`);
const fleetsOfMaya = async () => (await em.clients.appstream.send(new DescribeApplicationFleetAssociationsCommand({ ApplicationArn: MAYA_ARN }))).ApplicationFleetAssociations;

const em = useAccount();

test('Elastic to On-Demand: the replace disassociates a declared application that keeps the fleet before its delete', async () => {
  await em.setState(associatedElastic());
  const cfg = config({ fleets: [ON_DEMAND], appBlocks: [BLOCK], applications: [MAYA] });
  const { plan } = await planWith(em, cfg);
  expect(errors(plan)).toEqual([]);
  const fleet = plan.calls.filter((call) => call.address === 'fleet/el');
  expect(fleet.map((call) => call.operation)).toEqual(['DisassociateApplicationFleet', 'StopFleet', 'DeleteFleet', 'CreateFleet', 'StartFleet']);
  expect(fleet[0].input).toEqual({ FleetName: 'el', ApplicationArn: MAYA_ARN });
  const change = plan.changes.find((c) => c.address === 'fleet/el')!;
  expect(change.action).toBe('replace');
  expect(change.interruption).toMatch(/^replaces fleet el: .*; application maya is no longer offered on it$/);
  expect(change.dependsOn).toEqual(['application/maya']);
  await em.clearCalls();
  await apply(em, plan);
  const served = (await em.calls()).map((call) => `${call.operation} ${call.status}`);
  expect(served.indexOf('DisassociateApplicationFleet 200')).toBeGreaterThanOrEqual(0);
  expect(served.indexOf('DisassociateApplicationFleet 200')).toBeLessThan(served.indexOf('DeleteFleet 200'));
  expect(await fleetsOfMaya()).toEqual([]);
  const { plan: next } = await planWith(em, cfg);
  expect(callList(next)).toEqual([]);
  expect(next.diagnostics).toEqual([]);
});

test('Elastic to On-Demand: an application whose Fleets leaves the fleet out lets go of it in its own update, which the replace waits for', async () => {
  await em.setState(associatedElastic());
  const cfg = config({ fleets: [ON_DEMAND], appBlocks: [BLOCK], applications: [{ ...MAYA, Fleets: [] }] });
  const { plan } = await planWith(em, cfg);
  const disassociations = plan.calls.filter((call) => call.operation === 'DisassociateApplicationFleet');
  expect(disassociations.map((call) => call.address)).toEqual(['application/maya']);
  expect(disassociations[0].phase).toBeLessThan(plan.calls.find((call) => call.operation === 'DeleteFleet')!.phase);
  const change = plan.changes.find((c) => c.address === 'fleet/el')!;
  expect(change.dependsOn).toEqual(['application/maya']);
  expect(change.interruption).not.toMatch(/application/);
  await convergeClean(em, cfg);
  expect(await fleetsOfMaya()).toEqual([]);
});

test('Elastic to On-Demand while a declared application names the fleet in Fleets: both refused, nothing called', async () => {
  await em.setState(associatedElastic());
  const { plan } = await planWith(em, config({ fleets: [ON_DEMAND], appBlocks: [BLOCK], applications: [{ ...MAYA, Fleets: ['el'] }] }));
  expect(errors(plan)).toEqual([
    'application/maya: fleet el is an ON_DEMAND fleet; applications can be associated only with Elastic fleets',
    'fleet/el: FleetType ON_DEMAND would replace this Elastic fleet, but application maya names it in Fleets, and only Elastic fleets offer applications: remove it from there, or keep FleetType ELASTIC',
  ]);
  expect(callList(plan).filter((call) => /^\S+ (fleet|application)\//.test(call))).toEqual([]);
});

test('On-Demand to Elastic: an application naming the fleet is associated with it once it is Elastic, in one apply', async () => {
  await em.setState(account({ ...FLEET, ImageName: 'base', State: 'RUNNING' }));
  const cfg = config({ fleets: [ELASTIC], appBlocks: [BLOCK], applications: [{ ...MAYA, Fleets: ['el'] }] });
  const { plan } = await planWith(em, cfg);
  expect(errors(plan)).toEqual([]);
  expect(plan.changes.find((c) => c.address === 'fleet/el')?.action).toBe('replace');
  expect(plan.changes.find((c) => c.address === 'application/maya')?.dependsOn).toContain('fleet/el');
  const associate = plan.calls.find((call) => call.operation === 'AssociateApplicationFleet')!;
  expect(associate.phase).toBeGreaterThan(plan.calls.find((call) => call.operation === 'CreateFleet')!.phase);
  await apply(em, plan);
  expect(await fleetsOfMaya()).toEqual([{ FleetName: 'el', ApplicationArn: MAYA_ARN }]);
  const { plan: next } = await planWith(em, cfg);
  expect(callList(next)).toEqual([]);
  expect(next.diagnostics).toEqual([]);
});

test('the emulator: a fleet deleted and created again under its name offers none of the old one\'s applications', async () => {
  await em.setState(associatedElastic('STOPPED'));
  await em.clients.appstream.send(new DeleteFleetCommand({ Name: 'el' }));
  await em.clients.appstream.send(new CreateFleetCommand({ Name: 'el', FleetType: 'ON_DEMAND', InstanceType: 'stream.standard.medium', ImageName: 'base', ComputeCapacity: { DesiredInstances: 1 } }));
  expect(await fleetsOfMaya()).toEqual([]);
  expect((await em.getState()).appstream?.applicationFleetAssociations).toBeUndefined();
});
