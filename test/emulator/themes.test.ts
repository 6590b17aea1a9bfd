/** The emulator's stack themes, through the real SDK client. */
import {
  CreateThemeForStackCommand,
  DeleteStackCommand,
  DeleteThemeForStackCommand,
  DescribeThemeForStackCommand,
  UpdateThemeForStackCommand,
} from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const LOGO = { S3Bucket: 'branding', S3Key: 'logo.png' };
const FAVICON = { S3Bucket: 'branding', S3Key: 'favicon.ico' };
const STATE: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'plain' }, { Name: 'branded' }],
    themes: [{ StackName: 'branded', ThemeTitleText: 'Seeded', ThemeStyling: 'RED', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON }],
  },
};

let em: TestEmulator;
const describeTheme = async (name: string) => (await em.clients.appstream.send(new DescribeThemeForStackCommand({ StackName: name }))).Theme!;
/** The error an answer was, as "Name: message". */
const error = (answer: Promise<unknown>) => answer.then(() => undefined, (e: Error) => `${e.name}: ${e.message}`);

describe('stack themes', () => {
  beforeAll(async () => {
    em = await startTestEmulator({}, { maxAttempts: 1 });
  });
  afterAll(() => em.close());
  beforeEach(() => em.setState(STATE));

  it('creates a theme that Describe shows with URLs, never the S3 locations', async () => {
    const created = await em.clients.appstream.send(
      new CreateThemeForStackCommand({
        StackName: 'plain',
        TitleText: 'Design apps',
        ThemeStyling: 'BLUE',
        OrganizationLogoS3Location: LOGO,
        FaviconS3Location: FAVICON,
        FooterLinks: [{ DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' }],
      }),
    );
    const theme = await describeTheme('plain');
    expect(theme).toEqual(created.Theme);
    expect(theme).toMatchObject({ StackName: 'plain', State: 'ENABLED', ThemeTitleText: 'Design apps', ThemeStyling: 'BLUE', ThemeFooterLinks: [{ DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' }] });
    expect(theme.CreatedTime).toBeInstanceOf(Date);
    expect(theme.ThemeOrganizationLogoURL).toMatch(/^https:\/\/.*\/plain\/logo-[0-9a-f]+$/);
    expect(theme.ThemeFaviconURL).toMatch(/^https:\/\/.*\/plain\/favicon-[0-9a-f]+$/);
    expect(JSON.stringify(theme)).not.toContain('logo.png');
    // The state file keeps the locations the URLs came from.
    const state = await em.getState();
    expect(state.appstream?.themes?.find((t) => t.StackName === 'plain')).toMatchObject({ OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON, ThemeTitleText: 'Design apps' });
  });

  it('updates partially, clears footer links through AttributesToDelete, and gives a new URL for each upload', async () => {
    const before = await describeTheme('branded');
    expect(before).toMatchObject({ State: 'ENABLED', ThemeTitleText: 'Seeded' });
    const appstream = em.clients.appstream;
    await appstream.send(new UpdateThemeForStackCommand({ StackName: 'branded', FooterLinks: [{ DisplayName: 'IT', FooterLinkURL: 'https://it.example.com' }], State: 'DISABLED' }));
    const updated = await describeTheme('branded');
    expect(updated).toMatchObject({ State: 'DISABLED', ThemeTitleText: 'Seeded', ThemeStyling: 'RED', ThemeFooterLinks: [{ DisplayName: 'IT' }] });
    expect(updated.ThemeOrganizationLogoURL).toBe(before.ThemeOrganizationLogoURL);
    // The same object uploaded again is a new copy: its URL changes; the favicon, not sent, keeps its URL.
    await appstream.send(new UpdateThemeForStackCommand({ StackName: 'branded', OrganizationLogoS3Location: LOGO, AttributesToDelete: ['FOOTER_LINKS'] }));
    const cleared = await describeTheme('branded');
    expect(cleared.ThemeFooterLinks).toBeUndefined();
    expect(cleared.ThemeOrganizationLogoURL).not.toBe(before.ThemeOrganizationLogoURL);
    expect(cleared.ThemeFaviconURL).toBe(before.ThemeFaviconURL);
  });

  it("answers AWS's errors: one theme per stack, no stack, no theme, a clear that also sets", async () => {
    const appstream = em.clients.appstream;
    const create = (stack: string) =>
      appstream.send(new CreateThemeForStackCommand({ StackName: stack, TitleText: 'T', ThemeStyling: 'PINK', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON }));
    expect(await error(create('branded'))).toBe('ResourceAlreadyExistsException: The stack branded already has a theme.');
    expect(await error(create('nope'))).toBe('ResourceNotFoundException: Stack nope does not exist.');
    expect(await error(describeTheme('plain'))).toBe('ResourceNotFoundException: The theme for stack plain does not exist.');
    expect(await error(appstream.send(new UpdateThemeForStackCommand({ StackName: 'plain', TitleText: 'x' })))).toMatch(/^ResourceNotFoundException/);
    expect(await error(appstream.send(new DeleteThemeForStackCommand({ StackName: 'plain' })))).toMatch(/^ResourceNotFoundException/);
    expect(
      await error(appstream.send(new UpdateThemeForStackCommand({ StackName: 'branded', FooterLinks: [{ DisplayName: 'a', FooterLinkURL: 'https://a' }], AttributesToDelete: ['FOOTER_LINKS'] }))),
    ).toBe("InvalidParameterCombinationException: FOOTER_LINKS can't be both set and deleted in the same request.");
    // The model's rules: a title of characters the pattern refuses, a styling that is not one of its values.
    expect(await error(appstream.send(new UpdateThemeForStackCommand({ StackName: 'branded', TitleText: 'no <html>' })))).toMatch(/^ValidationException: .*titleText/i);
    expect(await error(appstream.send(new UpdateThemeForStackCommand({ StackName: 'branded', ThemeStyling: 'GREEN' as never })))).toMatch(/^ValidationException/);
  });

  it('deletes a theme, and a stack deleted takes its theme with it', async () => {
    const appstream = em.clients.appstream;
    await appstream.send(new DeleteThemeForStackCommand({ StackName: 'branded' }));
    expect(await error(describeTheme('branded'))).toMatch(/^ResourceNotFoundException/);
    await appstream.send(new CreateThemeForStackCommand({ StackName: 'plain', TitleText: 'T', ThemeStyling: 'PINK', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON }));
    await appstream.send(new DeleteStackCommand({ Name: 'plain' }));
    expect((await em.getState()).appstream?.themes).toBeUndefined();
  });

  it('refuses a state file whose theme names no stack, or lacks its S3 locations', async () => {
    await expect(em.setState({ appstream: { themes: [{ StackName: 'ghost', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON }] } })).rejects.toThrow(
      /appstream\.themes\[0\]\.StackName: no stack 'ghost'/,
    );
    await expect(em.setState({ appstream: { stacks: [{ Name: 'a' }], themes: [{ StackName: 'a', FaviconS3Location: FAVICON }] } })).rejects.toThrow(
      /appstream\.themes\[0\]\.OrganizationLogoS3Location: is required/,
    );
  });
});
