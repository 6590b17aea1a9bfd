/** The fleets section of the config: every CreateFleet member, and the fleet-type rules as errors at file:line:column. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFleetRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import appstreamFacts from '../../src/facts/appstream.json' with { type: 'json' };
import { fleetKind } from '../../src/kinds/fleet/index.js';

type Schema = { enum?: string[]; properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> };
const defs = (buildSchema() as { $defs: Record<string, Schema> }).$defs;

const dir = mkdtempSync(join(tmpdir(), 'streamform-fleets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems loading a config with these fleets (YAML lines, indented as list items) reports. */
async function problems(fleets: string): Promise<string[]> {
  const file = join(dir, 'fleets.yaml');
  writeFileSync(file, `version: 1\nproject: p\nfleets:\n${fleets}`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'fleets.yaml' }));
}

describe('the schema', () => {
  it('has a fleet property for every member of the SDK CreateFleetRequest, plus State, LatestImage, IgnoreChanges and Targets', () => {
    const sdkMembers = CreateFleetRequest$[4] as string[];
    expect(sdkMembers).toEqual(expect.arrayContaining(['MaxConcurrentSessions', 'SessionScriptS3Location', 'RootVolumeConfig', 'DisableIMDSV1']));
    expect(Object.keys(defs.FleetConfig.properties).sort()).toEqual([...sdkMembers, 'State', 'LatestImage', 'IgnoreChanges', 'Targets'].sort());
    expect(Object.keys(appstreamFacts.shapes.CreateFleetRequest.members).sort()).toEqual([...sdkMembers].sort());
  });

  it('takes the fleet types and platforms from the facts, and IgnoreChanges names only fleet properties', () => {
    expect(defs.FleetType.enum).toEqual(appstreamFacts.shapes.FleetType.enum);
    expect(defs.PlatformType.enum).toEqual(appstreamFacts.shapes.PlatformType.enum);
    const ignorable = defs.FleetConfig.properties.IgnoreChanges.items!.enum!;
    expect(ignorable).not.toContain('Name');
    for (const name of ignorable) expect(fleetKind.attributes, name).toHaveProperty(name);
  });
});

describe('the rules', () => {
  it('accepts each fleet type written as the API wants it', async () => {
    expect(
      await problems(`  - { Name: a, InstanceType: stream.standard.medium, ImageName: base, ComputeCapacity: { DesiredInstances: 2 } }
  - { Name: b, InstanceType: stream.standard.medium, ImageArn: "arn:aws:appstream:us-east-1::image/AppStream-WinServer2022", FleetType: ALWAYS_ON, ComputeCapacity: { DesiredInstances: 1 } }
  - { Name: c, InstanceType: stream.standard.medium, LatestImage: { NamePrefix: base- }, MaxSessionsPerInstance: 4, ComputeCapacity: { DesiredSessions: 8 }, State: STOPPED }
  - { Name: d, FleetType: ELASTIC, InstanceType: stream.standard.small, Platform: AMAZON_LINUX2, MaxConcurrentSessions: 5, VpcConfig: { SubnetIds: [s-1, s-2] } }
`),
    ).toEqual([]);
  });

  it('exactly one of DesiredInstances and DesiredSessions; DesiredSessions only with MaxSessionsPerInstance', async () => {
    expect(await problems('  - Name: a\n    InstanceType: stream.standard.medium\n    ImageName: base\n    ComputeCapacity: { DesiredInstances: 1, DesiredSessions: 2 }\n')).toEqual([
      'fleets.yaml:4:5: fleets[0].MaxSessionsPerInstance: ComputeCapacity.DesiredSessions is only for multi-session fleets: set MaxSessionsPerInstance',
      'fleets.yaml:7:22: fleets[0].ComputeCapacity: give exactly one of DesiredInstances and DesiredSessions',
    ]);
    expect(await problems('  - Name: a\n    InstanceType: stream.standard.medium\n    ImageName: base\n    MaxSessionsPerInstance: 3\n    ComputeCapacity: { DesiredInstances: 1 }\n')).toEqual([
      'fleets.yaml:8:24: fleets[0].ComputeCapacity.DesiredInstances: a multi-session fleet (MaxSessionsPerInstance) takes ComputeCapacity.DesiredSessions, not DesiredInstances',
    ]);
  });

  it('exactly one of ImageName, ImageArn and LatestImage, and ComputeCapacity, for Always-On and On-Demand fleets', async () => {
    expect(await problems('  - Name: a\n    InstanceType: stream.standard.medium\n')).toEqual([
      'fleets.yaml:4:5: fleets[0].ComputeCapacity: ComputeCapacity is required (DesiredInstances, or DesiredSessions for a multi-session fleet)',
      'fleets.yaml:4:5: fleets[0].ImageName: give one of ImageName, ImageArn and LatestImage',
    ]);
    expect(await problems('  - Name: a\n    InstanceType: stream.standard.medium\n    ImageName: base\n    LatestImage: { NamePrefix: base }\n    ComputeCapacity: { DesiredInstances: 1 }\n')).toEqual([
      'fleets.yaml:6:5: fleets[0].ImageName: give exactly one of ImageName, ImageArn and LatestImage',
      'fleets.yaml:7:5: fleets[0].LatestImage: give exactly one of ImageName, ImageArn and LatestImage',
    ]);
  });

  it('Elastic fleets need MaxConcurrentSessions, a Platform and two subnets, and take no image, capacity or domain join', async () => {
    const elastic = `  - Name: e
    FleetType: ELASTIC
    InstanceType: stream.standard.small
    ImageName: base
    ComputeCapacity: { DesiredInstances: 1 }
    DomainJoinInfo: { DirectoryName: corp.example.com }
    Platform: WINDOWS_SERVER_2022
    VpcConfig: { SubnetIds: [s-1] }
`;
    expect(await problems(elastic)).toEqual([
      'fleets.yaml:4:5: fleets[0].MaxConcurrentSessions: Elastic fleets need MaxConcurrentSessions',
      'fleets.yaml:7:5: fleets[0].ImageName: Elastic fleets take no image (ImageName, ImageArn or LatestImage): their applications come from app blocks',
      'fleets.yaml:8:5: fleets[0].ComputeCapacity: Elastic fleets take no ComputeCapacity (MaxConcurrentSessions sizes them)',
      'fleets.yaml:9:5: fleets[0].DomainJoinInfo: Elastic fleets take no DomainJoinInfo',
      'fleets.yaml:10:15: fleets[0].Platform: Elastic fleets need a Platform of WINDOWS_SERVER_2019, AMAZON_LINUX2, UBUNTU_PRO_2404',
      'fleets.yaml:11:29: fleets[0].VpcConfig.SubnetIds: Elastic fleets need a VpcConfig with at least two subnets (in different Availability Zones)',
    ]);
    expect(await problems('  - { Name: o, InstanceType: stream.standard.small, ImageName: b, ComputeCapacity: { DesiredInstances: 1 }, MaxConcurrentSessions: 2 }\n')).toEqual([
      'fleets.yaml:4:109: fleets[0].MaxConcurrentSessions: MaxConcurrentSessions is only for Elastic fleets',
    ]);
  });

  it('State, IgnoreChanges and the documented ranges', async () => {
    expect(
      await problems(
        '  - Name: a\n    InstanceType: stream.standard.medium\n    ImageName: base\n    ComputeCapacity: { DesiredInstances: 1 }\n    State: STARTING\n    IdleDisconnectTimeoutInSeconds: 30\n    MaxUserDurationInSeconds: 60\n    IgnoreChanges: [ComputeCapacity, ComputeCapacity]\n',
      ),
    ).toEqual([
      'fleets.yaml:8:12: fleets[0].State: expected one of RUNNING, STOPPED, found "STARTING"',
      'fleets.yaml:9:5: fleets[0].IdleDisconnectTimeoutInSeconds: IdleDisconnectTimeoutInSeconds is 0 (never) or from 60 to 36000',
      'fleets.yaml:10:31: fleets[0].MaxUserDurationInSeconds: expected at least 600, found the number 60',
      'fleets.yaml:11:38: fleets[0].IgnoreChanges[1]: property "ComputeCapacity" is declared twice (first at line 11)',
    ]);
  });
});
