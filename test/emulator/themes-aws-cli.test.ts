/**
 * Stack themes through an independent client: Debian's AWS CLI v2 at /usr/bin/aws. Its bundled
 * model (2.9) predates the theme operations, so the CLI reads the AppStream model from a HOME of
 * its own (~/.aws/models), written from src/facts/appstream.json in botocore's form and the JSON
 * protocol the emulator serves. CI sets STREAMFORM_REQUIRE_AWS_CLI=1, which turns a missing CLI
 * from a skip into a failure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import appstreamFacts from '../../src/facts/appstream.json' with { type: 'json' };
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { AWS, awsCli, cliPresent, cliRequired as required, requireCli } from '../helpers/aws-cli.js';

const present = cliPresent('AWS CLI theme conformance');

type Json = Record<string, any>;

/** The facts as a botocore service model: references as {shape}, the JSON 1.1 protocol. */
function botocoreModel(): Json {
  const model = structuredClone(appstreamFacts) as Json;
  const { protocols: _, ...metadata } = model.metadata;
  model.metadata = { ...metadata, protocol: 'json', jsonVersion: '1.1', signatureVersion: 'v4', uid: 'appstream-2016-12-01' };
  const ref = (name: unknown) => (typeof name === 'string' ? { shape: name } : name);
  for (const shape of Object.values<Json>(model.shapes)) for (const key of ['member', 'key', 'value']) if (shape[key]) shape[key] = ref(shape[key]);
  for (const [name, operation] of Object.entries<Json>(model.operations)) {
    Object.assign(operation, { name, input: ref(operation.input), output: ref(operation.output), errors: (operation.errors ?? []).map(ref) });
  }
  return model;
}

let emulator: Emulator;
let home: string;

const { aws, json } = awsCli({ url: () => emulator.url, prefix: ['appstream'], home: () => home });

describe.skipIf(!present && !required)(`AWS CLI v2 (${AWS}) on stack themes`, () => {
  beforeAll(async () => {
    requireCli(present);
    home = mkdtempSync(join(tmpdir(), 'streamform-aws-home-'));
    const models = join(home, '.aws', 'models', 'appstream', '2016-12-01');
    mkdirSync(models, { recursive: true });
    writeFileSync(join(models, 'service-2.json'), JSON.stringify(botocoreModel()));
    emulator = await startEmulator({ state: { appstream: { stacks: [{ Name: 'demo' }] } } });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('creates, describes, updates, clears footer links and deletes a theme; errors come back as AWS shapes them', async () => {
    const location = (key: string) => `S3Bucket=branding,S3Key=${key}`;
    const created = await json(
      'create-theme-for-stack', '--stack-name', 'demo', '--title-text', 'Demo apps', '--theme-styling', 'BLUE',
      '--organization-logo-s3-location', location('logo.png'), '--favicon-s3-location', location('favicon.ico'),
      '--footer-links', 'DisplayName=Help,FooterLinkURL=https://help.example.com',
    );
    expect(created.Theme).toMatchObject({ StackName: 'demo', State: 'ENABLED', ThemeTitleText: 'Demo apps', ThemeFooterLinks: [{ DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' }] });
    expect(created.Theme.CreatedTime).toMatch(/^\d{4}-\d\d-\d\dT/); // botocore parsed the epoch seconds

    const [again, updated] = await Promise.all([
      aws('create-theme-for-stack', '--stack-name', 'demo', '--title-text', 'x', '--theme-styling', 'RED', '--organization-logo-s3-location', location('l'), '--favicon-s3-location', location('f')),
      json('update-theme-for-stack', '--stack-name', 'demo', '--attributes-to-delete', 'FOOTER_LINKS', '--state', 'DISABLED', '--organization-logo-s3-location', location('new-logo.png')),
    ]);
    expect(again.code).toBe(254);
    expect(again.err).toContain('An error occurred (ResourceAlreadyExistsException) when calling the CreateThemeForStack operation');
    expect(updated.Theme).toMatchObject({ State: 'DISABLED', ThemeTitleText: 'Demo apps' });
    expect(updated.Theme.ThemeFooterLinks).toBeUndefined();
    expect(updated.Theme.ThemeOrganizationLogoURL).not.toBe(created.Theme.ThemeOrganizationLogoURL);
    expect((await json('describe-theme-for-stack', '--stack-name', 'demo')).Theme).toEqual(updated.Theme);

    await json('delete-theme-for-stack', '--stack-name', 'demo');
    const gone = await aws('describe-theme-for-stack', '--stack-name', 'demo');
    expect(gone.code).toBe(254);
    expect(gone.err).toContain('An error occurred (ResourceNotFoundException) when calling the DescribeThemeForStack operation: The theme for stack demo does not exist.');
  }, 90_000);
});
