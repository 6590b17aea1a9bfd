/** The appBlockBuilders section of the config: the CreateAppBlockBuilder members of the SDK, and its rules as errors at file:line:column. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAppBlockBuilderRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { appBlockBuilderKind } from '../../src/kinds/app-block-builder/index.js';

type Schema = { properties: Record<string, unknown> };
const defs = (buildSchema() as { $defs: Record<string, Schema> }).$defs;

const dir = mkdtempSync(join(tmpdir(), 'streamform-app-block-builders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problems(builders: string): Promise<string[]> {
  const file = join(dir, 'builders.yaml');
  writeFileSync(file, `version: 1\nproject: p\nappBlockBuilders:\n${builders}`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'builders.yaml' }));
}

const BASE = 'Platform: WINDOWS_SERVER_2019, InstanceType: stream.standard.small, VpcConfig: { SubnetIds: [subnet-a, subnet-b] }';

describe('the schema', () => {
  // Targets is every section's, read by the loader; no kind sees it.
  it('has a property for every member of the SDK CreateAppBlockBuilderRequest, plus AppBlocks and State, each in the attribute table', () => {
    const sdkMembers = CreateAppBlockBuilderRequest$[4] as string[];
    const properties = Object.keys(defs.AppBlockBuilderConfig.properties).filter((name) => name !== 'Targets');
    expect(properties.sort()).toEqual([...sdkMembers, 'AppBlocks', 'State'].sort());
    for (const name of properties.filter((n) => n !== 'Name')) expect(appBlockBuilderKind.attributes, name).toHaveProperty(name);
  });

  it('a running builder takes DisplayName, Description and Tags in place; everything else interrupts it', () => {
    const impacts = Object.entries(appBlockBuilderKind.attributes).filter(([, facts]) => facts.impact === 'update').map(([name]) => name);
    expect(impacts.sort()).toEqual(['Description', 'DisplayName', 'Tags']);
    expect(Object.values(appBlockBuilderKind.attributes).every((facts) => facts.impact !== 'replace')).toBe(true);
  });
});

describe('the rules', () => {
  it('accept the example', async () => {
    const { config } = await loadConfig(['examples/app-block-builders/streamform.yaml']);
    expect(config.appBlockBuilders?.map((builder) => builder.Name)).toEqual(['design-packager']);
  });

  it('accepts builders with and without an app block, cleared values and a declared state', async () => {
    expect(
      await problems(`  - { Name: a, ${BASE}, AppBlocks: [office], State: RUNNING, IamRoleArn: null, Description: null }
  - { Name: b, ${BASE}, State: STOPPED, AppBlocks: [] }
  - { Name: c, ${BASE}, AccessEndpoints: [{ EndpointType: STREAMING, VpceId: vpce-1 }] }
`),
    ).toEqual([]);
  });

  // RUNNING without AppBlocks passes: the app block may be associated already (the plan refuses a builder that has none).
  it('one app block at a time, two subnets, RUNNING not with AppBlocks cleared, the SDK\'s platform, known members only', async () => {
    expect(
      await problems(
        `  - Name: a\n    Platform: AMAZON_LINUX2\n    InstanceType: stream.standard.small\n    VpcConfig: { SubnetIds: [subnet-a] }\n    AppBlocks: [office, visio]\n    DisableIMDS: true\n  - { Name: b, ${BASE}, State: RUNNING }\n  - { Name: c, ${BASE}, State: RUNNING, AppBlocks: null }\n`,
      ),
    ).toEqual([
      'builders.yaml:5:15: appBlockBuilders[0].Platform: expected one of WINDOWS_SERVER_2019, found "AMAZON_LINUX2"',
      'builders.yaml:7:29: appBlockBuilders[0].VpcConfig.SubnetIds: app block builders need a VpcConfig with at least two subnets (in different Availability Zones)',
      'builders.yaml:8:16: appBlockBuilders[0].AppBlocks: expected at most 1 item, found 2 items',
      'builders.yaml:9:5: appBlockBuilders[0].DisableIMDS: unknown property (did you mean DisableIMDSV1?)',
      'builders.yaml:11:5: appBlockBuilders[2]: an app block builder can run only with an app block: State RUNNING needs AppBlocks',
    ]);
  });
});
