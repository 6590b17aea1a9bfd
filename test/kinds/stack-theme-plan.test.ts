/**
 * Stack themes planned and applied against the emulator: created with their stack, updated in
 * place, footer links cleared, deleted with `Theme: null`; a theme changed by hand is drift, an
 * unchanged one plans nothing; the logo is uploaded again only when its S3 location or ETag changes;
 * DescribeThemeForStack is called only for stacks that declare Theme.
 */
import { DeleteThemeForStackCommand, DescribeThemeForStackCommand, UpdateThemeForStackCommand } from '@aws-sdk/client-appstream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config, StackConfig, ThemeConfig } from '../../src/config/types.js';
import { OWNER_TAG, readRecord } from '../../src/core/ownership.js';
import { apply, callList, config, convergeClean, emulator, planWith } from '../plan/helpers.js';
import type { TestEmulator } from '../helpers/emulator.js';

const LOGO = { S3Bucket: 'branding', S3Key: 'appstream/logo.png' };
const FAVICON = { S3Bucket: 'branding', S3Key: 'appstream/favicon.ico' };
const THEME: ThemeConfig = {
  TitleText: 'Design apps',
  ThemeStyling: 'BLUE',
  OrganizationLogoS3Location: LOGO,
  FaviconS3Location: FAVICON,
  FooterLinks: [
    { DisplayName: 'Help', FooterLinkURL: 'https://help.example.com' },
    { DisplayName: 'IT', FooterLinkURL: 'https://it.example.com' },
  ],
};
const stacks = (...list: StackConfig[]): Config => config({ stacks: list });
const themed = (theme: ThemeConfig | null = THEME): Config => stacks({ Name: 'design', Theme: theme }, { Name: 'plain' });

let em: TestEmulator;
beforeAll(async () => {
  em = await emulator();
});
afterAll(() => em.close());
beforeEach(() => em.setState({}));

const liveTheme = async (name = 'design') => (await em.clients.appstream.send(new DescribeThemeForStackCommand({ StackName: name }))).Theme;
const operations = async () => (await em.calls()).map((c) => c.operation);
const inputOf = (plan: { calls: { operation: string; input: Record<string, unknown> }[] }, operation: string) => plan.calls.find((c) => c.operation === operation)?.input;

describe('stack themes', () => {
  it('creates the theme after its stack, records the S3 locations, and then plans nothing', async () => {
    const first = await convergeClean(em, themed());
    expect(callList(first)).toEqual(['CreateStack stack/design', 'CreateThemeForStack stack/design', 'CreateStack stack/plain']);
    expect(inputOf(first, 'CreateThemeForStack')).toEqual({ StackName: 'design', TitleText: 'Design apps', ThemeStyling: 'BLUE', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON, FooterLinks: THEME.FooterLinks });
    expect(first.changes.find((c) => c.address === 'stack/design')?.diffs.map((d) => d.path)).toContain('Theme');
    expect(await liveTheme()).toMatchObject({ ThemeTitleText: 'Design apps', State: 'ENABLED', ThemeFooterLinks: THEME.FooterLinks });
    const state = await em.getState();
    const record = readRecord(state.appstream!.stacks!.find((s) => s.Name === 'design')!.Tags);
    expect(record?.a).toEqual(expect.arrayContaining(['FooterLinks', 'TitleText', 'L:branding/appstream/logo.png', 'F:/appstream/favicon.ico']));
  });

  it('creates a DISABLED theme with CreateThemeForStack then UpdateThemeForStack, since only an update takes State', async () => {
    const first = await convergeClean(em, themed({ ...THEME, State: 'DISABLED' }));
    expect(callList(first).filter((c) => c.includes('Theme'))).toEqual(['CreateThemeForStack stack/design', 'UpdateThemeForStack stack/design']);
    expect((await liveTheme())?.State).toBe('DISABLED');
  });

  it('updates the title and styling in place, clears footer links with AttributesToDelete, and keeps the images', async () => {
    await convergeClean(em, themed());
    const before = await liveTheme();
    const changed = await convergeClean(em, themed({ ...THEME, TitleText: 'Design', ThemeStyling: 'RED', FooterLinks: null }));
    expect(callList(changed)).toEqual(['UpdateThemeForStack stack/design', 'TagResource stack/design']);
    expect(inputOf(changed, 'UpdateThemeForStack')).toEqual({ StackName: 'design', TitleText: 'Design', ThemeStyling: 'RED', AttributesToDelete: ['FOOTER_LINKS'] });
    const change = changed.changes.find((c) => c.address === 'stack/design')!;
    expect(change).toMatchObject({ action: 'update', drift: false });
    expect(change.diffs.map((d) => [d.path, d.impact])).toEqual([
      ['Theme.TitleText', 'update'],
      ['Theme.ThemeStyling', 'update'],
      ['Theme.FooterLinks', 'update'],
    ]);
    const after = await liveTheme();
    expect(after).toMatchObject({ ThemeTitleText: 'Design', ThemeStyling: 'RED' });
    expect(after?.ThemeFooterLinks).toBeUndefined();
    expect(after?.ThemeOrganizationLogoURL).toBe(before?.ThemeOrganizationLogoURL);
  });

  it('clears footer links and returns State to ENABLED when the config no longer declares what the last apply managed', async () => {
    await convergeClean(em, themed({ ...THEME, State: 'DISABLED' }));
    const { FooterLinks: _, ...rest } = THEME;
    const changed = await convergeClean(em, themed(rest));
    expect(inputOf(changed, 'UpdateThemeForStack')).toEqual({ StackName: 'design', State: 'ENABLED', AttributesToDelete: ['FOOTER_LINKS'] });
  });

  it('uploads an image again when its S3 location or its ETag changes, never the ETag itself', async () => {
    await convergeClean(em, themed());
    const before = await liveTheme();
    const moved = await convergeClean(em, themed({ ...THEME, FaviconS3Location: { S3Bucket: 'other-bucket', S3Key: 'favicon.ico' } }));
    expect(inputOf(moved, 'UpdateThemeForStack')).toEqual({ StackName: 'design', FaviconS3Location: { S3Bucket: 'other-bucket', S3Key: 'favicon.ico' } });
    const etagged = { ...THEME, FaviconS3Location: { S3Bucket: 'other-bucket', S3Key: 'favicon.ico' }, OrganizationLogoS3Location: { ...LOGO, ETag: '"0123456789ABCDEF0123456789abcdef"' } };
    const replaced = await convergeClean(em, themed(etagged));
    expect(inputOf(replaced, 'UpdateThemeForStack')).toEqual({ StackName: 'design', OrganizationLogoS3Location: LOGO });
    const after = await liveTheme();
    expect(after?.ThemeOrganizationLogoURL).not.toBe(before?.ThemeOrganizationLogoURL);
    expect(after?.ThemeFaviconURL).not.toBe(before?.ThemeFaviconURL);
  });

  it('deletes the theme for Theme: null, and then reads it as absent', async () => {
    await convergeClean(em, themed());
    const deleted = await convergeClean(em, themed(null));
    expect(callList(deleted)).toEqual(['DeleteThemeForStack stack/design', 'TagResource stack/design']);
    expect(deleted.changes.find((c) => c.address === 'stack/design')?.diffs).toMatchObject([{ path: 'Theme', after: null }]);
    await expect(liveTheme()).rejects.toThrow(/does not exist/);
  });

  it('reports a theme changed by hand as drift; a logo replaced by hand is not seen', async () => {
    await convergeClean(em, themed());
    await em.clients.appstream.send(new UpdateThemeForStackCommand({ StackName: 'design', TitleText: 'Hand made', State: 'DISABLED', OrganizationLogoS3Location: { S3Bucket: 'elsewhere', S3Key: 'x.png' } }));
    const { plan } = await planWith(em, themed());
    const change = plan.changes.find((c) => c.address === 'stack/design')!;
    expect(change).toMatchObject({ action: 'update', drift: true, reasonCode: 'drift' });
    expect(change.diffs.map((d) => [d.path, d.before, d.after])).toEqual([['Theme.TitleText', 'Hand made', 'Design apps']]);
    expect(callList(plan)).toEqual(['UpdateThemeForStack stack/design']);
    await apply(em, plan);
    expect((await liveTheme())?.ThemeTitleText).toBe('Design apps');
  });

  it('declaring State makes a theme disabled by hand drift, and a theme deleted by hand is created again', async () => {
    await convergeClean(em, themed({ ...THEME, State: 'ENABLED' }));
    await em.clients.appstream.send(new UpdateThemeForStackCommand({ StackName: 'design', State: 'DISABLED' }));
    const { plan } = await planWith(em, themed({ ...THEME, State: 'ENABLED' }));
    expect(plan.changes.find((c) => c.address === 'stack/design')).toMatchObject({ drift: true, diffs: [{ path: 'Theme.State', before: 'DISABLED', after: 'ENABLED' }] });
    await em.clients.appstream.send(new DeleteThemeForStackCommand({ StackName: 'design' }));
    const { plan: again } = await planWith(em, themed({ ...THEME, State: 'ENABLED' }));
    expect(again.changes.find((c) => c.address === 'stack/design')).toMatchObject({ drift: true, diffs: [{ path: 'Theme' }] });
    expect(callList(again)).toEqual(['CreateThemeForStack stack/design']);
  });

  it('adopts a stack with a theme made by hand: the declared images are uploaded once, since nothing tells which it shows', async () => {
    await em.setState({
      appstream: {
        stacks: [{ Name: 'design' }],
        themes: [{ StackName: 'design', ThemeTitleText: 'Design apps', ThemeStyling: 'BLUE', ThemeFooterLinks: THEME.FooterLinks!, OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON }],
      },
    });
    const first = await convergeClean(em, stacks({ Name: 'design', Theme: THEME }));
    expect(first.changes[0]).toMatchObject({ adopt: true, drift: false });
    expect(inputOf(first, 'UpdateThemeForStack')).toEqual({ StackName: 'design', OrganizationLogoS3Location: LOGO, FaviconS3Location: FAVICON });
  });

  it('reads themes only of stacks that declare Theme, and not of a stack another project owns', async () => {
    await em.setState({ appstream: { stacks: [{ Name: 'design' }, { Name: 'plain' }, { Name: 'theirs', Tags: { [OWNER_TAG]: 'other' } }] } });
    await em.clearCalls();
    const { plan } = await planWith(em, stacks({ Name: 'design', Theme: THEME }, { Name: 'plain' }, { Name: 'theirs', Theme: THEME }));
    const described = (await em.calls()).filter((c) => c.operation === 'DescribeThemeForStack');
    expect(described).toHaveLength(1);
    expect(plan.changes.find((c) => c.address === 'stack/theirs')?.reasonCode).toBe('refused');
    await em.clearCalls();
    await planWith(em, stacks({ Name: 'design' }, { Name: 'plain' }));
    expect(await operations()).not.toContain('DescribeThemeForStack');
  });

  it('keeps the record within one tag value: locations too long to keep are kept by digest, and still compared', async () => {
    const long = (key: string) => ({ S3Bucket: 'a-rather-long-branding-bucket-name-for-themes', S3Key: `${'deep/'.repeat(12)}${key}`, ETag: '0123456789abcdef0123456789abcdef' });
    const theme = { ...THEME, OrganizationLogoS3Location: long('logo.png'), FaviconS3Location: { ...long('favicon.ico'), S3Bucket: 'another-rather-long-bucket-name' } };
    await convergeClean(em, themed(theme));
    const record = readRecord((await em.getState()).appstream!.stacks!.find((s) => s.Name === 'design')!.Tags);
    expect(record?.a?.filter((entry) => /^[LF]~/.test(entry))).toHaveLength(2);
    const changed = await convergeClean(em, themed({ ...theme, OrganizationLogoS3Location: { ...theme.OrganizationLogoS3Location, ETag: 'ffffffffffffffffffffffffffffffff' } }));
    expect(Object.keys(inputOf(changed, 'UpdateThemeForStack') ?? {})).toEqual(['StackName', 'OrganizationLogoS3Location']);
  });
});
