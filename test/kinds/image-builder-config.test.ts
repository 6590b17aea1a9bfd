/** The imageBuilders section of the config: every CreateImageBuilder member of the SDK, and its rules as errors at file:line:column. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateImageBuilderRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { imageBuilderKind } from '../../src/kinds/image-builder/index.js';

type Schema = { properties: Record<string, unknown> };
const defs = (buildSchema() as { $defs: Record<string, Schema> }).$defs;

const dir = mkdtempSync(join(tmpdir(), 'streamform-builders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problems(builders: string): Promise<string[]> {
  const file = join(dir, 'builders.yaml');
  writeFileSync(file, `version: 1\nproject: p\nimageBuilders:\n${builders}`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'builders.yaml' }));
}

describe('the schema', () => {
  it('has a property for every member of the SDK CreateImageBuilderRequest, plus LatestImage, State and Targets, each in the attribute table', () => {
    const sdkMembers = CreateImageBuilderRequest$[4] as string[];
    expect(sdkMembers).toEqual(expect.arrayContaining(['RootVolumeConfig', 'SoftwaresToInstall', 'SoftwaresToUninstall', 'AccessEndpoints']));
    expect(Object.keys(defs.ImageBuilderConfig.properties).sort()).toEqual([...sdkMembers, 'LatestImage', 'State', 'Targets'].sort());
    for (const name of Object.keys(defs.ImageBuilderConfig.properties).filter((n) => n !== 'Name' && n !== 'Targets')) expect(imageBuilderKind.attributes, name).toHaveProperty(name);
  });

  it('every attribute but Tags and State replaces the builder; stopping a running one interrupts', () => {
    const impacts = Object.fromEntries(Object.entries(imageBuilderKind.attributes).map(([name, facts]) => [name, facts.impact]));
    expect(Object.entries(impacts).filter(([, impact]) => impact !== 'replace')).toEqual([
      ['State', 'interrupt'],
      ['Tags', 'update'],
    ]);
  });
});

describe('the rules', () => {
  it('accepts a builder by name, by ARN and by LatestImage, with one subnet', async () => {
    expect(
      await problems(`  - { Name: a, InstanceType: stream.standard.medium, ImageName: base, VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }, State: STOPPED }
  - { Name: b, InstanceType: stream.standard.medium, ImageArn: "arn:aws:appstream:us-east-1:210987654321:image/partner", RootVolumeConfig: { VolumeSizeInGb: 300 } }
  - { Name: c, InstanceType: stream.standard.medium, LatestImage: { NamePrefix: base- }, SoftwaresToInstall: [Microsoft_Office_2021_LTSC_Professional_Plus_64Bit], Description: null }
`),
    ).toEqual([]);
  });

  it('exactly one image member, exactly one subnet, State RUNNING or STOPPED, the root volume range', async () => {
    expect(await problems('  - Name: a\n    InstanceType: stream.standard.medium\n')).toEqual(['builders.yaml:4:5: imageBuilders[0].ImageName: give one of ImageName, ImageArn and LatestImage']);
    expect(
      await problems(
        '  - Name: a\n    InstanceType: stream.standard.medium\n    ImageName: base\n    ImageArn: "arn:aws:appstream:us-east-1::image/x"\n    VpcConfig: { SubnetIds: [s-1, s-2] }\n    State: PENDING\n    RootVolumeConfig: { VolumeSizeInGb: 100 }\n',
      ),
    ).toEqual([
      'builders.yaml:6:5: imageBuilders[0].ImageName: give exactly one of ImageName, ImageArn and LatestImage',
      'builders.yaml:7:5: imageBuilders[0].ImageArn: give exactly one of ImageName, ImageArn and LatestImage',
      'builders.yaml:8:29: imageBuilders[0].VpcConfig.SubnetIds: an image builder runs in exactly one subnet: VpcConfig.SubnetIds takes one ID',
      'builders.yaml:9:12: imageBuilders[0].State: expected one of RUNNING, STOPPED, found "PENDING"',
      'builders.yaml:10:41: imageBuilders[0].RootVolumeConfig.VolumeSizeInGb: expected at least 200, found the number 100',
    ]);
  });
});
