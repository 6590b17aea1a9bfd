/**
 * Resources that declared ones still use, against the emulator with the real SDK: prune refuses a
 * fleet, an application or an app block that a declaration names; a fleet's deletion lets go of the
 * declared applications that keep it first; a replaced application lets go of the entitlements that
 * grant it around its delete; an app block in use is not replaced.
 */
import { DescribeApplicationFleetAssociationsCommand, ListEntitledApplicationsCommand } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { ApplicationConfig, AppBlockConfig, EntitlementConfig, FleetConfig } from '../../src/config/types.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { applicationsNamed } from '../kinds/entitlement-fixtures.js';
import { apply, callList, config, convergeClean, planWith, PROJECT, useAccount } from './helpers.js';

const owned = { [OWNER_TAG]: PROJECT };
const ACCOUNT = 'arn:aws:appstream:us-east-1:123456789012';
const ELASTIC: FleetConfig = {
  Name: 'el',
  FleetType: 'ELASTIC',
  InstanceType: 'stream.standard.medium',
  Platform: 'WINDOWS_SERVER_2019',
  MaxConcurrentSessions: 2,
  VpcConfig: { SubnetIds: ['subnet-1', 'subnet-2'] },
};
const { appBlocks, applications } = applicationsNamed('maya');
const [MAYA_STATE] = applications!;
const BLOCK = { ...appBlocks![0], Tags: {} } as unknown as AppBlockConfig;
/** The seeded application maya as declared, on its app block by name. */
const MAYA: ApplicationConfig = { Name: 'maya', AppBlock: 'apps', IconS3Location: MAYA_STATE.IconS3Location as ApplicationConfig['IconS3Location'], LaunchPath: 'C:\\maya.exe', Platforms: ['WINDOWS_SERVER_2019'], InstanceFamilies: ['GENERAL_PURPOSE'] };
const MAYA_ARN = `${ACCOUNT}:application/maya`;

/** This project's Elastic fleet el, app block apps and application maya, with whatever else `more` seeds. */
const account = (more: NonNullable<EmulatorState['appstream']> = {}): EmulatorState => ({
  appstream: {
    fleets: [{ ...ELASTIC, Tags: owned } as never],
    appBlocks: [{ ...appBlocks![0], Tags: owned }],
    applications: [{ ...MAYA_STATE, Tags: owned }],
    ...more,
  },
});

const errors = (plan: { diagnostics: { severity: string; address?: string; message: string }[] }) => plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.address}: ${d.message}`);

const em = useAccount();

describe('fleets', () => {
  test('prune refuses a fleet a declared application still names in Fleets, before any call to it', async () => {
    await em.setState(account());
    const { plan } = await planWith(em, config({ appBlocks: [BLOCK], applications: [{ ...MAYA, Fleets: ['el'] }] }), true);
    expect(errors(plan)).toEqual([
      'fleet/el: no longer declared, but application maya still names it in Fleets; declare the fleet, or remove it from there, before prune deletes it',
    ]);
    expect(callList(plan).filter((call) => call.endsWith('fleet/el'))).toEqual([]);
    // The application is still associated with the fleet it names.
    expect(callList(plan)).toContain('AssociateApplicationFleet application/maya');
  });

  test('a declared application that keeps its fleets is disassociated by the fleet prune deletes, before the delete', async () => {
    await em.setState(account({ applicationFleetAssociations: [{ FleetName: 'el', ApplicationArn: MAYA_ARN }] }));
    const cfg = config({ appBlocks: [BLOCK], applications: [MAYA] });
    const { plan } = await planWith(em, cfg, true);
    expect(errors(plan)).toEqual([]);
    const fleet = plan.calls.filter((call) => call.address === 'fleet/el');
    expect(fleet.map((call) => call.operation)).toEqual(['DisassociateApplicationFleet', 'DeleteFleet']);
    expect(fleet[0].input).toEqual({ FleetName: 'el', ApplicationArn: MAYA_ARN });
    // Deleted after the application's own update: a failed one keeps the fleet.
    expect(plan.changes.find((change) => change.address === 'fleet/el')?.dependsOn).toEqual(['application/maya']);
    await apply(em, plan);
    expect((await em.calls()).filter((call) => call.operation === 'DisassociateApplicationFleet').map((call) => call.status)).toEqual([200]);
    const { plan: next } = await planWith(em, cfg, true);
    expect(callList(next)).toEqual([]);
  });

  test('a declared application whose Fleets leaves the fleet out lets go of it in its own update, before the fleet is deleted', async () => {
    await em.setState(account({ applicationFleetAssociations: [{ FleetName: 'el', ApplicationArn: MAYA_ARN }] }));
    const cfg = config({ appBlocks: [BLOCK], applications: [{ ...MAYA, Fleets: [] }] });
    const { plan } = await planWith(em, cfg, true);
    const disassociations = plan.calls.filter((call) => call.operation === 'DisassociateApplicationFleet');
    expect(disassociations.map((call) => call.address)).toEqual(['application/maya']);
    expect(disassociations[0].phase).toBeLessThan(plan.calls.find((call) => call.operation === 'DeleteFleet')!.phase);
    await apply(em, plan);
    expect((await em.clients.appstream.send(new DescribeApplicationFleetAssociationsCommand({ ApplicationArn: MAYA_ARN }))).ApplicationFleetAssociations).toEqual([]);
  });
});

describe('applications', () => {
  const entitled = account({ stacks: [{ Name: 'desk', Tags: owned }], entitlements: [{ StackName: 'desk', Name: 'artists', AppVisibility: 'ASSOCIATED', Attributes: [{ Name: 'roles', Value: 'artist' }], Applications: ['maya'] }] });
  const entitlement: EntitlementConfig = { StackName: 'desk', Name: 'artists', AppVisibility: 'ASSOCIATED', Attributes: [{ Name: 'roles', Value: 'artist' }] };

  test('a replaced application lets go of the entitlements that grant it around its delete, and they grant it again', async () => {
    await em.setState(entitled);
    const cfg = config({ stacks: [{ Name: 'desk' }], appBlocks: [BLOCK], applications: [{ ...MAYA, InstanceFamilies: ['GRAPHICS_G4'] }], entitlements: [{ ...entitlement, Applications: ['maya'] }] });
    const { plan } = await planWith(em, cfg);
    expect(callList(plan).filter((call) => call.endsWith('application/maya'))).toEqual([
      'DisassociateApplicationFromEntitlement application/maya',
      'DeleteApplication application/maya',
      'CreateApplication application/maya',
      'AssociateApplicationToEntitlement application/maya',
    ]);
    expect(plan.changes.find((change) => change.address === 'application/maya')?.reason).toMatch(/; entitlement desk\/artists grants it again$/);
    // Without the disassociation AWS refuses the DeleteApplication (ResourceInUseException).
    await apply(em, plan);
    const granted = await em.clients.appstream.send(new ListEntitledApplicationsCommand({ StackName: 'desk', EntitlementName: 'artists' }));
    expect(granted.EntitledApplications).toEqual([{ ApplicationIdentifier: 'maya' }]);
    const { plan: next } = await planWith(em, cfg);
    expect(callList(next)).toEqual([]);
  });

  test('prune refuses an application a declared entitlement still grants', async () => {
    await em.setState(entitled);
    const { plan } = await planWith(em, config({ stacks: [{ Name: 'desk' }], appBlocks: [BLOCK], entitlements: [{ ...entitlement, Applications: ['maya'] }] }), true);
    expect(errors(plan)).toEqual([
      'application/maya: no longer declared, but entitlement desk/artists still names it in Applications; declare the application, or remove it from there, before prune deletes it',
    ]);
    expect(callList(plan).filter((call) => call.endsWith('application/maya'))).toEqual([]);
  });
});

describe('app blocks', () => {
  test('an app block an application uses is not replaced: the plan names the application and calls nothing for the block', async () => {
    await em.setState(account());
    const cfg = config({ appBlocks: [{ ...BLOCK, SourceS3Location: { S3Bucket: 'blocks', S3Key: 'apps-2.vhdx' } }], applications: [MAYA] });
    const { plan } = await planWith(em, cfg);
    expect(errors(plan)).toEqual([
      'appBlock/apps: SourceS3Location cannot change on an app block, and AWS refuses to delete one in use (application maya): declare the new block under another name and point them to it; prune deletes this one once nothing uses it',
    ]);
    expect(callList(plan).filter((call) => call.endsWith('appBlock/apps'))).toEqual([]);
  });

  test('prune refuses an app block a declared application still names, and deletes one only a pruned application used, after it', async () => {
    await em.setState(account());
    const { plan } = await planWith(em, config({ applications: [MAYA] }), true);
    expect(errors(plan)).toEqual([
      'appBlock/apps: no longer declared, but application maya still names it in AppBlock; declare the app block, or remove it from there, before prune deletes it',
    ]);
    const first = await convergeClean(em, config({}), true);
    expect(callList(first)).toEqual(['DeleteFleet fleet/el', 'DeleteApplication application/maya', 'DeleteAppBlock appBlock/apps']);
  });
});
