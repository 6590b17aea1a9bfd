/**
 * `streamform plan` and `streamform apply` on applications, the built CLI against the emulator: a
 * replace is shown per attribute, the calls in their order, and an application named on a fleet
 * that is not Elastic is an error before any call.
 */
import { expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace, writeConfig } from '../apply/cli.js';

const ARN = 'arn:aws:appstream:us-east-1:123456789012';
const SCRIPT = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.sh' }, ExecutablePath: '/bin/sh', TimeoutInSeconds: 60 };
const ELASTIC = { FleetType: 'ELASTIC', InstanceType: 'stream.standard.medium', MaxConcurrentSessions: 5, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } };
const ACCOUNT: EmulatorState = {
  appstream: {
    appBlocks: [{ Name: 'tools', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'tools.vhdx' }, SetupScriptDetails: SCRIPT }],
    fleets: [
      { Name: 'kiosk', ...ELASTIC, Platform: 'AMAZON_LINUX2' },
      { Name: 'desks', FleetType: 'ALWAYS_ON', InstanceType: 'stream.standard.medium', Platform: 'AMAZON_LINUX2' },
    ],
    applications: [
      {
        Name: 'gimp',
        AppBlockArn: `${ARN}:app-block/tools`,
        IconS3Location: { S3Bucket: 'icons' },
        LaunchPath: '/usr/bin/gimp',
        Platforms: ['AMAZON_LINUX2'],
        InstanceFamilies: ['GENERAL_PURPOSE'],
        Tags: { [OWNER_TAG]: 'shop' },
      },
    ],
    applicationFleetAssociations: [{ FleetName: 'kiosk', ApplicationArn: `${ARN}:application/gimp` }],
  },
};

const application = (name: string, fields: string) => `  - Name: ${name}
    AppBlock: tools
    IconS3Location: { S3Bucket: icons }
    LaunchPath: /usr/bin/${name}
    InstanceFamilies: [GENERAL_PURPOSE]
${fields}`;
const CONFIG = `version: 1
project: shop
applications:
${application('gimp', '    Platforms: [AMAZON_LINUX2, UBUNTU_PRO_2404]\n    Fleets: [kiosk]\n')}${application('inkscape', '    Platforms: [AMAZON_LINUX2]\n    Fleets: [kiosk]\n')}`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'apps.yaml': CONFIG }, ACCOUNT, (w, e) => ((work = w), (emulator = e)));

const mutations = async () => (await emulator.calls()).map((c) => c.operation).filter((op) => /^(Create|Update|Delete|Associate|Disassociate|Tag|Untag)/.test(op));

it('plan marks the attribute that forces replacement and lists the calls in order; apply makes them, and the next plan is clean', async () => {
  const result = await streamform(['plan', '-f', 'apps.yaml', '--endpoint', emulator.url], work);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain('      ~ Platforms:  # forces replacement\n          + "UBUNTU_PRO_2404"\n');
  expect(result.stdout).toContain(
    '  1. DisassociateApplicationFleet application/gimp\n  2. DeleteApplication application/gimp\n  3. CreateApplication application/gimp\n  4. AssociateApplicationFleet application/gimp\n  5. CreateApplication application/inkscape\n  6. AssociateApplicationFleet application/inkscape\n',
  );
  const applied = await streamform(['apply', '-f', 'apps.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  // The two applications are applied at once, so their calls interleave.
  expect((await mutations()).sort()).toEqual(['AssociateApplicationFleet', 'AssociateApplicationFleet', 'CreateApplication', 'CreateApplication', 'DeleteApplication', 'DisassociateApplicationFleet']);
  const next = await streamform(['plan', '-f', 'apps.yaml', '--endpoint', emulator.url, '--detailed-exitcode'], work);
  expect(next.code, next.stdout).toBe(0);
  expect(next.stdout).toMatch(/\nNo changes\.\n$/);
});

it('an application on a fleet that is not Elastic is refused in one line, and nothing is applied', async () => {
  writeConfig(work, 'desks.yaml', `version: 1\nproject: shop\napplications:\n${application('inkscape', '    Platforms: [AMAZON_LINUX2]\n    Fleets: [desks]\n')}`);
  const result = await streamform(['apply', '-f', 'desks.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(result.code).toBe(1);
  expect(result.stdout + result.stderr).toContain('fleet desks is an ALWAYS_ON fleet; applications can be associated only with Elastic fleets');
  expect(await mutations()).toEqual([]);
});
