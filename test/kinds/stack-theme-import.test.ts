/**
 * `streamform import` of stack themes. Themes are read only for stacks a streamform project owns.
 * A theme this project applied is declared as its record says, the S3 locations and ETags taken
 * from the record, and plans as no change; a theme on an owned stack whose record holds no
 * locations is declared with the placeholders `replace-with-the-logo-bucket` and
 * `replace-with-the-favicon-bucket`, named in a comment on the stack.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ThemeConfig } from '../../src/config/types.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { renderImportYaml } from '../../src/import/yaml.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';
import { applyAll, planOf, tempDir, writeYaml } from '../drift/support.js';
import { callList, config, loaded } from '../plan/helpers.js';

const LOGO = { S3Bucket: 'branding', S3Key: 'logo.png', ETag: '"0123456789ABCDEF0123456789ABCDEF"' };
const FAVICON = { S3Bucket: 'icons', S3Key: 'favicon.ico' };
const THEME: ThemeConfig = { TitleText: 'Design apps', ThemeStyling: 'PINK', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON, State: 'DISABLED' };
const SEEDED = { ThemeTitleText: 'Seeded', ThemeStyling: 'RED', OrganizationLogoS3Location: FAVICON, FaviconS3Location: FAVICON };
const ACCOUNT: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'owned' }, { Name: 'handmade', Tags: { [OWNER_TAG]: 'shop' } }, { Name: 'adopted' }],
    themes: [
      { StackName: 'handmade', ...SEEDED, ThemeFooterLinks: [{ DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' }] },
      { StackName: 'adopted', ...SEEDED },
    ],
  },
};

let emulator: TestEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startTestEmulator({ state: ACCOUNT });
  dir = tempDir('theme-import');
  const applied = await applyAll(await planOf(loaded(config({ project: 'shop', stacks: [{ Name: 'owned', Theme: THEME }] })), emulator.clients, emulator.url), emulator.url);
  expect(applied.failures).toEqual([]);
});
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('declares the themes of owned stacks from their records, with placeholders where a record has no locations, and plans them', async () => {
  await emulator.clearCalls();
  const result = buildImport(await describeAccount(emulator.clients, { studios: [] }), { project: 'shop', region: 'us-east-1' });
  // One read for each of the two owned stacks, none for the stack no project owns.
  expect((await emulator.calls()).filter((c) => c.operation === 'DescribeThemeForStack')).toHaveLength(2);
  const byName = Object.fromEntries(result.config.stacks!.map((stack) => [stack.Name, stack]));
  expect(byName.owned.Theme).toEqual({ ...THEME, OrganizationLogoS3Location: { ...LOGO, ETag: '0123456789abcdef0123456789abcdef' } });
  expect(byName.handmade.Theme).toEqual({
    TitleText: 'Seeded',
    ThemeStyling: 'RED',
    OrganizationLogoS3Location: { S3Bucket: 'replace-with-the-logo-bucket', S3Key: 'replace/with/the/logo-key' },
    FaviconS3Location: { S3Bucket: 'replace-with-the-favicon-bucket', S3Key: 'replace/with/the/favicon-key' },
    FooterLinks: [{ DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' }],
  });
  // No project owns it: its theme was not read, so it is not declared.
  expect(byName.adopted.Theme).toBeUndefined();

  const file = writeYaml(dir, 'imported.yaml', renderImportYaml(result, { schema: 'streamform.schema.json', studios: [] }));
  expect(readFileSync(file, 'utf8')).toMatch(/# Theme: .*replace the placeholders \(replace-with-the-logo-bucket, replace-with-the-favicon-bucket\)/);
  const plan = await planOf(await loadConfig([file]), emulator.clients, emulator.url);
  expect(plan.diagnostics).toEqual([]);
  // The placeholders are uploaded on the first apply (the header says to replace them first); the rest is adoption only.
  expect(callList(plan)).toEqual(['TagResource stack/adopted', 'UpdateThemeForStack stack/handmade', 'TagResource stack/handmade']);
  expect(plan.calls[1].input).toMatchObject({ OrganizationLogoS3Location: { S3Bucket: 'replace-with-the-logo-bucket' } });
});

it('imports a theme applied by this project again exactly, so its plan stays empty', async () => {
  const again = buildImport(await describeAccount(emulator.clients, { studios: [] }), { project: 'shop', region: 'us-east-1' });
  const file = writeYaml(dir, 'owned.yaml', renderImportYaml({ ...again, config: { ...again.config, stacks: again.config.stacks!.filter((s) => s.Name === 'owned') } }, { schema: 'streamform.schema.json', studios: [] }));
  const plan = await planOf(await loadConfig([file]), emulator.clients, emulator.url);
  expect(callList(plan)).toEqual([]);
});
