/** What the entitlement tests seed besides stacks: applications to entitle, on an app block of their own. */
import type { EmulatorState } from '../../src/emulator/index.js';

type AppStreamState = NonNullable<EmulatorState['appstream']>;

/** The app block and applications (by name) of an account's state, for entitlements to name. */
export function applicationsNamed(...names: string[]): Pick<AppStreamState, 'appBlocks' | 'applications'> {
  const script = { ScriptS3Location: { S3Bucket: 'blocks', S3Key: 'setup.ps1' }, ExecutablePath: 'powershell.exe', TimeoutInSeconds: 60 };
  return {
    appBlocks: [{ Name: 'apps', SourceS3Location: { S3Bucket: 'blocks', S3Key: 'apps.vhdx' }, SetupScriptDetails: script }],
    applications: names.map((Name) => ({
      Name,
      AppBlockArn: 'arn:aws:appstream:us-east-1:123456789012:app-block/apps',
      IconS3Location: { S3Bucket: 'icons', S3Key: `${Name}.png` },
      LaunchPath: `C:\\${Name}.exe`,
      Platforms: ['WINDOWS_SERVER_2019'],
      InstanceFamilies: ['GENERAL_PURPOSE'],
    })),
  };
}
