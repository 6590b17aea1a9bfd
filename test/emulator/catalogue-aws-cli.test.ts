/**
 * Conformance of the Elastic-fleet catalogue (app blocks, applications, their fleet associations)
 * with an independent client: Debian's AWS CLI v2 at /usr/bin/aws, as in aws-cli.test.ts (CI's
 * STREAMFORM_REQUIRE_AWS_CLI=1 turns a missing CLI from a skip into a failure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';
import { adminOf } from '../helpers/emulator.js';

const present = cliPresent('the catalogue through the AWS CLI');
const ACCOUNT_ARN = 'arn:aws:appstream:us-east-1:123456789012';

let emulator: Emulator;

const { aws, json: appstream } = awsCli({ url: () => emulator.url, prefix: ['appstream'] });

describe.skipIf(!present && !required)(`the catalogue through the AWS CLI v2 (${AWS})`, () => {
  beforeAll(async () => {
    requireCli(present);
    emulator = await startEmulator({
      state: {
        appstream: {
          fleets: [
            { Name: 'elastic', FleetType: 'ELASTIC', Platform: 'WINDOWS_SERVER_2019', InstanceType: 'stream.standard.medium', MaxConcurrentSessions: 2, VpcConfig: { SubnetIds: ['subnet-a', 'subnet-b'] } },
          ],
        },
      },
    });
  });
  afterAll(() => emulator?.close());

  it('creates an app block and an application, associates it with an Elastic fleet, and deletes them in order', async () => {
    const script = 'ScriptS3Location={S3Bucket=blocks,S3Key=setup.ps1},ExecutablePath=powershell.exe,TimeoutInSeconds=60';
    const { AppBlock: block } = await appstream('create-app-block', '--name', 'tools', '--source-s3-location', 'S3Bucket=blocks,S3Key=tools.vhdx', '--setup-script-details', script, '--tags', 'team=vfx');
    // This CLI's model predates State and PackagingType, so it shows neither.
    expect(block).toMatchObject({ Arn: `${ACCOUNT_ARN}:app-block/tools`, SetupScriptDetails: { TimeoutInSeconds: 60 } });
    expect(block.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/); // botocore parsed the epoch seconds

    const { Application: app } = await appstream(
      'create-application', '--name', 'editor', '--app-block-arn', block.Arn, '--icon-s3-location', 'S3Bucket=icons,S3Key=editor.png',
      '--launch-path', 'C:\\editor.exe', '--launch-parameters=-q', '--platforms', 'WINDOWS_SERVER_2019', '--instance-families', 'GENERAL_PURPOSE',
    );
    expect(app).toMatchObject({ Arn: `${ACCOUNT_ARN}:application/editor`, Enabled: true, LaunchParameters: '-q' });
    const [updated, listed] = await Promise.all([
      appstream('update-application', '--name', 'editor', '--display-name', 'Editor', '--attributes-to-delete', 'LAUNCH_PARAMETERS'),
      appstream('describe-app-blocks', '--arns', block.Arn),
    ]);
    expect(updated.Application.DisplayName).toBe('Editor');
    expect(updated.Application).not.toHaveProperty('LaunchParameters');
    expect(listed.AppBlocks.map((b: { Name: string }) => b.Name)).toEqual(['tools']);

    expect((await appstream('associate-application-fleet', '--fleet-name', 'elastic', '--application-arn', app.Arn)).ApplicationFleetAssociation).toEqual({ FleetName: 'elastic', ApplicationArn: app.Arn });
    const [byFleet, inUse, blockInUse] = await Promise.all([
      appstream('describe-application-fleet-associations', '--fleet-name', 'elastic'),
      aws('delete-application', '--name', 'editor'),
      aws('delete-app-block', '--name', 'tools'),
    ]);
    expect(byFleet.ApplicationFleetAssociations).toEqual([{ FleetName: 'elastic', ApplicationArn: app.Arn }]);
    expect(inUse.code).toBe(254);
    expect(inUse.err).toContain('An error occurred (ResourceInUseException) when calling the DeleteApplication operation: The application editor is associated with the fleet(s) elastic');
    expect(blockInUse.err).toContain('(ResourceInUseException) when calling the DeleteAppBlock operation: The app block tools is used by the application(s) editor.');

    await appstream('disassociate-application-fleet', '--fleet-name', 'elastic', '--application-arn', app.Arn);
    await appstream('delete-application', '--name', 'editor');
    expect((await appstream('list-tags-for-resource', '--resource-arn', block.Arn)).Tags).toEqual({ team: 'vfx' });
    await appstream('delete-app-block', '--name', 'tools');
    const saved = (await adminOf(emulator.url).getState()).appstream!;
    expect([saved.appBlocks, saved.applications, saved.applicationFleetAssociations]).toEqual([undefined, undefined, undefined]);
  }, 90_000);
});
