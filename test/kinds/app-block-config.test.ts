/** The appBlocks section of the config: every CreateAppBlock member of the SDK, replace-only, and its packaging rules as errors at file:line:column. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAppBlockRequest$ } from '@aws-sdk/client-appstream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../scripts/gen-schema.js';
import { ConfigError, formatDiagnostic } from '../../src/config/diagnostics.js';
import { loadConfig } from '../../src/config/load.js';
import { appBlockKind } from '../../src/kinds/app-block/index.js';
import { addressOf } from '../../src/kinds/index.js';
import { appBlockAddress } from '../../src/kinds/app-block/live.js';

type Schema = { properties: Record<string, unknown> };
const defs = (buildSchema() as { $defs: Record<string, Schema> }).$defs;

const dir = mkdtempSync(join(tmpdir(), 'streamform-app-blocks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function problems(blocks: string): Promise<string[]> {
  const file = join(dir, 'blocks.yaml');
  writeFileSync(file, `version: 1\nproject: p\nappBlocks:\n${blocks}`);
  const error = await loadConfig([file]).then(() => undefined, (e: unknown) => e);
  if (!error) return [];
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).diagnostics.map((d) => formatDiagnostic({ ...d, file: 'blocks.yaml' }));
}

const SCRIPT = '{ ScriptS3Location: { S3Bucket: blocks, S3Key: setup.ps1 }, ExecutablePath: powershell.exe, TimeoutInSeconds: 60 }';

describe('the schema and the attribute table', () => {
  it('has a property for every member of the SDK CreateAppBlockRequest, each in the attribute table', () => {
    const sdkMembers = CreateAppBlockRequest$[4] as string[];
    expect(sdkMembers).toEqual(expect.arrayContaining(['SourceS3Location', 'SetupScriptDetails', 'PostSetupScriptDetails', 'PackagingType']));
    expect(Object.keys(defs.AppBlockConfig.properties).sort()).toEqual([...sdkMembers].sort());
    for (const name of sdkMembers.filter((n) => n !== 'Name')) expect(appBlockKind.attributes, name).toHaveProperty(name);
  });

  it('every attribute but Tags replaces the block', () => {
    const impacts = Object.entries(appBlockKind.attributes).map(([name, facts]) => [name, facts.impact]);
    expect(impacts.filter(([, impact]) => impact !== 'replace')).toEqual([['Tags', 'update']]);
  });

  it('addresses a block as addressOf does', () => {
    expect(appBlockAddress('tools')).toBe(addressOf(appBlockKind, () => 'tools'));
  });
});

describe('the rules', () => {
  it('accepts a CUSTOM block with its setup script and an APPSTREAM2 block with a post-setup script', async () => {
    expect(
      await problems(`  - { Name: a, SourceS3Location: { S3Bucket: blocks, S3Key: a.vhdx }, SetupScriptDetails: ${SCRIPT}, Description: null, Tags: { team: x } }
  - { Name: b, PackagingType: APPSTREAM2, SourceS3Location: { S3Bucket: blocks }, PostSetupScriptDetails: ${SCRIPT} }
`),
    ).toEqual([]);
  });

  it('a CUSTOM block needs its setup script and VHD key and takes no post-setup script; APPSTREAM2 takes no setup script', async () => {
    expect(await problems(`  - Name: a\n    SourceS3Location: { S3Bucket: blocks }\n    PostSetupScriptDetails: ${SCRIPT}\n`)).toEqual([
      'blocks.yaml:4:5: appBlocks[0].SetupScriptDetails: a CUSTOM app block (the default PackagingType) needs SetupScriptDetails, the script that mounts its VHD',
      'blocks.yaml:5:23: appBlocks[0].SourceS3Location.S3Key: a CUSTOM app block needs SourceS3Location.S3Key: the VHD',
      'blocks.yaml:6:29: appBlocks[0].PostSetupScriptDetails: PostSetupScriptDetails is only for PackagingType APPSTREAM2',
    ]);
    expect(await problems(`  - Name: b\n    PackagingType: APPSTREAM2\n    SourceS3Location: { S3Bucket: blocks }\n    SetupScriptDetails: ${SCRIPT}\n`)).toEqual([
      'blocks.yaml:7:5: appBlocks[0].SetupScriptDetails: SetupScriptDetails is only for PackagingType CUSTOM',
    ]);
    expect(await problems(`  - Name: "bad name"\n    PackagingType: ZIP\n    SourceS3Location: { S3Bucket: blocks, S3Key: k }\n    SetupScriptDetails: ${SCRIPT}\n`)).toHaveLength(2);
  });
});
