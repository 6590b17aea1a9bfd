/**
 * Stack themes through the built CLI against the emulator: apply creates the theme, `drift` exits 0
 * while it is unchanged and 2 once it is changed by hand, naming the member; a bad theme is one
 * line per problem, in words, and exit code 1.
 */
import { UpdateThemeForStackCommand } from '@aws-sdk/client-appstream';
import { expect, it } from 'vitest';
import type { TestEmulator } from '../helpers/emulator.js';
import { streamform, useCliWorkspace, writeConfig } from '../apply/cli.js';

const CONFIG = `version: 1
project: shop
stacks:
  - Name: design
    Theme:
      TitleText: Design apps
      ThemeStyling: LIGHT_BLUE
      OrganizationLogoS3Location: { S3Bucket: branding, S3Key: logo.png, ETag: "0123456789abcdef0123456789abcdef-2" }
      FaviconS3Location: { S3Bucket: branding, S3Key: favicon.ico }
      FooterLinks:
        - { DisplayName: Help, FooterLinkURL: "https://help.example.com" }
`;

const BAD = `version: 1
project: shop
stacks:
  - Name: design
    Theme:
      TitleText: "Design <apps>"
      ThemeStyling: GREEN
      OrganizationLogoS3Location: { S3Bucket: branding, ETag: "not-an-etag" }
      FooterLinks:
        - { DisplayName: Help }
`;

let work: string;
let emulator: TestEmulator;
useCliWorkspace({ 'themes.yaml': CONFIG }, {}, (w, e) => ((work = w), (emulator = e)));

it('applies the theme, drift is clean, and a title changed by hand is drift with exit code 2', async () => {
  const applied = await streamform(['apply', '-f', 'themes.yaml', '--endpoint', emulator.url, '--yes'], work);
  expect(applied.code, applied.stdout + applied.stderr).toBe(0);
  expect((await emulator.calls()).map((c) => c.operation)).toContain('CreateThemeForStack');
  const clean = await streamform(['drift', '-f', 'themes.yaml', '--endpoint', emulator.url], work);
  expect(clean.code, clean.stdout + clean.stderr).toBe(0);

  await emulator.clients.appstream.send(new UpdateThemeForStackCommand({ StackName: 'design', TitleText: 'Changed by hand' }));
  const drifted = await streamform(['drift', '-f', 'themes.yaml', '--endpoint', emulator.url], work);
  expect(drifted.code, drifted.stdout + drifted.stderr).toBe(2);
  expect(drifted.stdout).toContain('stack/design');
  expect(drifted.stdout).toMatch(/Theme\.TitleText.*Changed by hand.*Design apps/);
});

it('refuses a bad theme with one line per problem, in words', async () => {
  writeConfig(work, 'bad.yaml', BAD);
  const result = await streamform(['validate', '-f', 'bad.yaml'], work);
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toEqual([
    'bad.yaml:6:7: stacks[0].Theme.FaviconS3Location: required property is missing',
    'bad.yaml:6:18: stacks[0].Theme.TitleText: TitleText may hold only letters, digits, spaces, underscores and - @ . / # & +',
    'bad.yaml:7:21: stacks[0].Theme.ThemeStyling: expected one of LIGHT_BLUE, BLUE, PINK, RED, found "GREEN"',
    'bad.yaml:8:35: stacks[0].Theme.OrganizationLogoS3Location.S3Key: required property is missing',
    'bad.yaml:8:63: stacks[0].Theme.OrganizationLogoS3Location.ETag: ETag is 32 hexadecimal digits (and -N after a multipart upload), as S3 reports it',
    'bad.yaml:10:11: stacks[0].Theme.FooterLinks[0].FooterLinkURL: required property is missing',
    '6 errors in the config',
  ]);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});
