/** The applications section of the config: every CreateApplication member, and its rules as errors at file:line:column. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApplicationRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';

const defs = (buildSchema() as { $defs: Record<string, { properties: Record<string, unknown> }> }).$defs;

const dir = mkdtempSync(join(tmpdir(), 'streamform-applications-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = '{ Name: word, IconS3Location: { S3Bucket: icons }, LaunchPath: "C:\\\\word.exe"';
const RUNS_ON = 'Platforms: [WINDOWS_SERVER_2019], InstanceFamilies: [GENERAL_PURPOSE]';

/** The problems loading a config with this one application (the members after BASE) reports. */
async function problems(members: string, runsOn = RUNS_ON): Promise<string[]> {
  const file = join(dir, 'applications.yaml');
  writeFileSync(file, `version: 1\nproject: p\napplications:\n  - ${BASE}, ${runsOn}${members} }\n`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'applications.yaml' }));
}

describe('the schema', () => {
  it('has an application property for every member of the SDK CreateApplicationRequest, plus AppBlock and Fleets', () => {
    const sdkMembers = CreateApplicationRequest$[4] as string[];
    // Targets is every resource's (which targets it goes to): the loader reads it, no kind sees it.
    const properties = Object.keys(defs.ApplicationConfig.properties).filter((property) => property !== 'Targets');
    expect(properties.sort()).toEqual([...sdkMembers, 'AppBlock', 'Fleets'].sort());
  });
});

describe('the rules', () => {
  it('accepts the app block by name or by ARN, with fleets', async () => {
    expect(await problems(', AppBlock: office, Fleets: [el]')).toEqual([]);
    expect(await problems(', AppBlockArn: "arn:aws:appstream:us-east-1:123456789012:app-block/office"')).toEqual([]);
  });

  it('wants exactly one of AppBlockArn and AppBlock', async () => {
    expect((await problems('')).join('\n')).toMatch(/give one of AppBlockArn and AppBlock/);
    expect((await problems(', AppBlock: office, AppBlockArn: "arn:aws:appstream:us-east-1:123456789012:app-block/office"')).join('\n')).toMatch(/give exactly one of AppBlockArn and AppBlock/);
  });

  it('takes only the platforms of Elastic fleets and the two instance families', async () => {
    expect(await problems(', AppBlock: office', 'Platforms: [WINDOWS_SERVER_2022], InstanceFamilies: [COMPUTE]')).toEqual([
      expect.stringMatching(/Platforms\[0\]: expected one of WINDOWS_SERVER_2019, AMAZON_LINUX2, UBUNTU_PRO_2404, found "WINDOWS_SERVER_2022"/),
      expect.stringMatching(/InstanceFamilies\[0\]: expected one of GENERAL_PURPOSE, GRAPHICS_G4, found "COMPUTE"$/),
    ]);
  });

  it('lists a fleet once', async () => {
    expect((await problems(', AppBlock: office, Fleets: [el, el]')).join('\n')).toMatch(/Fleets\[1\]: fleet "el" is declared twice/);
  });
});
