/**
 * The known failures of other tools (Terraform's aws_appstream_stack, CloudFormation), each as a
 * regression test: plan against the emulator, apply the calls, check what AWS holds, plan again.
 */
import { DescribeStacksCommand, TagResourceCommand, UpdateStackCommand, type Stack } from '@aws-sdk/client-appstream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Config, StackConfig } from '../../src/config/types.js';
import type { TestEmulator } from '../helpers/emulator.js';
import { apply, callList, config, converge, emulator, planWith } from './helpers.js';

let em: TestEmulator;
beforeEach(async () => {
  em = await emulator({ state: { appstream: { fleets: [{ Name: 'fleet-a' }, { Name: 'fleet-b' }] } } });
});
afterEach(() => em.close());

const withStack = (stack: StackConfig): Config => config({ stacks: [stack] });

async function stack(name: string): Promise<Stack> {
  const { Stacks } = await em.clients.appstream.send(new DescribeStacksCommand({ Names: [name] }));
  return Stacks![0];
}

/** Applies `before`, then plans `after`: returns that plan, applied, and the plan that follows it. */
async function change(before: StackConfig, after: StackConfig) {
  const { second: settled } = await converge(em, withStack(before));
  expect(settled.calls).toEqual([]);
  return converge(em, withStack(after));
}

describe('regressions of known failures of other tools', () => {
  test('1. partial user settings leave no perpetual diff', async () => {
    const { second } = await converge(em, withStack({ Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] }));
    expect(second.calls).toEqual([]);
    // AWS lists every action; only the declared one was changed.
    expect((await stack('design')).UserSettings!.length).toBeGreaterThan(1);
  });

  test('2. user settings change on update: changed, added and removed actions', async () => {
    const { first, second } = await change(
      { Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }, { Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' }] },
      { Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'ENABLED' }, { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' }] },
    );
    expect(callList(first)).toEqual(['UpdateStack stack/design', 'TagResource stack/design']);
    const settings = Object.fromEntries((await stack('design')).UserSettings!.map((s) => [s.Action, s.Permission]));
    expect(settings).toMatchObject({ FILE_UPLOAD: 'ENABLED', FILE_DOWNLOAD: 'ENABLED', PRINTING_TO_LOCAL_DEVICE: 'DISABLED' });
    expect(second.calls).toEqual([]);
  });

  test('3. an action AWS enables by default (AUTO_TIME_ZONE_REDIRECTION) is never a diff', async () => {
    const { second } = await converge(em, withStack({ Name: 'design', UserSettings: [{ Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' }] }));
    expect((await stack('design')).UserSettings).toContainEqual({ Action: 'AUTO_TIME_ZONE_REDIRECTION', Permission: 'ENABLED' });
    expect(second.changes[0].action).toBe('no-op');
  });

  test('4. a storage connector change is sent and applied (added, changed and removed types)', async () => {
    const { first, second } = await change(
      { Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'GOOGLE_DRIVE', Domains: ['a.com'] }] },
      { Name: 'design', StorageConnectors: [{ ConnectorType: 'GOOGLE_DRIVE', Domains: ['b.com'] }, { ConnectorType: 'ONE_DRIVE', Domains: ['c.com'], DomainsRequireAdminConsent: ['c.com'] }] },
    );
    expect(callList(first)).toEqual(['UpdateStack stack/design', 'TagResource stack/design']);
    expect((await stack('design')).StorageConnectors).toEqual([
      { ConnectorType: 'GOOGLE_DRIVE', Domains: ['b.com'] },
      { ConnectorType: 'ONE_DRIVE', Domains: ['c.com'], DomainsRequireAdminConsent: ['c.com'] },
    ]);
    expect(second.calls).toEqual([]);
  });

  test('5. embed host domains are sent on update', async () => {
    const { second } = await change({ Name: 'design', EmbedHostDomains: ['a.example.com'] }, { Name: 'design', EmbedHostDomains: ['b.example.com', 'a.example.com'] });
    expect((await stack('design')).EmbedHostDomains!.sort()).toEqual(['a.example.com', 'b.example.com']);
    expect(second.calls).toEqual([]);
  });

  test('6. a description or display name change is an update in place, never a replacement', async () => {
    await converge(em, withStack({ Name: 'design', Description: 'old', DisplayName: 'Old', Tags: { team: 'a' } }));
    const created = (await stack('design')).CreatedTime;
    const { first, second } = await converge(em, withStack({ Name: 'design', Description: 'new', DisplayName: 'New', Tags: { team: 'b' } }));
    expect(first.changes[0].action).toBe('update');
    expect(callList(first)).toEqual(['UpdateStack stack/design', 'TagResource stack/design']);
    expect(await stack('design')).toMatchObject({ Description: 'new', DisplayName: 'New', CreatedTime: created });
    expect(second.calls).toEqual([]);
  });

  test('7. removing RedirectURL from the config clears it; an explicit null clears FeedbackURL; clearing Description works', async () => {
    const { first, second } = await change(
      { Name: 'design', RedirectURL: 'https://r.example.com', FeedbackURL: 'https://f.example.com', Description: 'd' },
      { Name: 'design', FeedbackURL: null, Description: null },
    );
    expect(first.calls[0].input).toEqual({ Name: 'design', Description: '', AttributesToDelete: ['REDIRECT_URL', 'FEEDBACK_URL'] });
    const now = await stack('design');
    expect(now.RedirectURL).toBeUndefined();
    expect(now.FeedbackURL).toBeUndefined();
    expect(now.Description).toBeUndefined();
    expect(second.calls).toEqual([]);
  });

  test('8. MaximumLength and DomainsRequireAdminConsent are supported', async () => {
    const { second } = await converge(
      em,
      withStack({
        Name: 'design',
        UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1024 }],
        StorageConnectors: [{ ConnectorType: 'ONE_DRIVE', Domains: ['c.com'], DomainsRequireAdminConsent: ['c.com'] }],
      }),
    );
    const now = await stack('design');
    expect(now.UserSettings).toContainEqual({ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1024 });
    expect(now.StorageConnectors![0].DomainsRequireAdminConsent).toEqual(['c.com']);
    expect(second.calls).toEqual([]);
  });

  test('9. a FeedbackURL of 1000 characters is accepted', async () => {
    const url = `https://example.com/${'f'.repeat(1000 - 20)}`;
    expect(url).toHaveLength(1000);
    const { second } = await converge(em, withStack({ Name: 'design', FeedbackURL: url }));
    expect((await stack('design')).FeedbackURL).toBe(url);
    expect(second.calls).toEqual([]);
  });

  test('10. a pruned stack has its fleets disassociated before it is deleted', async () => {
    await converge(em, withStack({ Name: 'design', Fleets: ['fleet-a', 'fleet-b'] }));
    const { first, second } = await converge(em, config(), true);
    expect(callList(first)).toEqual(['DisassociateFleet stack/design', 'DisassociateFleet stack/design', 'DeleteStack stack/design']);
    expect((await em.getState()).appstream?.stacks).toEqual([]);
    expect(second.calls).toEqual([]);
  });

  test('10b. removing a fleet from the list disassociates it; removing the list lets go of the fleets streamform associated', async () => {
    await converge(em, withStack({ Name: 'design', Fleets: ['fleet-a', 'fleet-b'] }));
    const { first } = await converge(em, withStack({ Name: 'design', Fleets: ['fleet-b'] }));
    expect(first.calls.filter((c) => c.operation.endsWith('Fleet')).map((c) => `${c.operation} ${c.input.FleetName}`)).toEqual(['DisassociateFleet fleet-a']);
    const { first: released, second } = await converge(em, withStack({ Name: 'design' }));
    expect(released.calls.filter((c) => c.operation.endsWith('Fleet')).map((c) => `${c.operation} ${c.input.FleetName}`)).toEqual(['DisassociateFleet fleet-b']);
    expect(second.calls).toEqual([]);
  });

  test('11. tags and user settings show no false drift, also with tags added by others', async () => {
    await converge(em, withStack({ Name: 'design', Tags: { team: 'a' }, UserSettings: [{ Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' }] }));
    const { Arn } = await stack('design');
    await em.clients.appstream.send(new TagResourceCommand({ ResourceArn: Arn, Tags: { 'cost-center': '42' } }));
    const { plan } = await planWith(em, withStack({ Name: 'design', Tags: { team: 'a' }, UserSettings: [{ Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' }] }));
    expect(plan.calls).toEqual([]);
    expect(plan.changes[0]).toMatchObject({ action: 'no-op', drift: false });
  });
});

describe('drift, end to end', () => {
  test('a value changed outside streamform is drift, and applying restores it', async () => {
    const cfg = withStack({ Name: 'design', Description: 'mine', EmbedHostDomains: ['a.example.com'] });
    await converge(em, cfg);
    await em.clients.appstream.send(new UpdateStackCommand({ Name: 'design', Description: 'edited by hand', AttributesToDelete: ['EMBED_HOST_DOMAINS'] }));
    const { plan } = await planWith(em, cfg);
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true });
    expect(plan.changes[0].diffs.map((d) => d.path)).toEqual(['Description', 'EmbedHostDomains']);
    await apply(em, plan);
    expect((await planWith(em, cfg)).plan.calls).toEqual([]);
    expect(await stack('design')).toMatchObject({ Description: 'mine', EmbedHostDomains: ['a.example.com'] });
  });
});

describe('streaming images, end to end', () => {
  beforeEach(async () => {
    await em.close();
    em = await emulator({ state: { nimble: { studios: [{ studioId: 'studio-1' }] } } });
  });

  test('a new Ec2ImageId replaces the image: afterwards exactly one image has the name, with the new AMI', async () => {
    const image = { StudioId: 'studio-1', Name: 'render', Ec2ImageId: 'ami-1', Description: 'r' };
    await converge(em, config({ streamingImages: [image] }));
    const { first, second } = await converge(em, config({ streamingImages: [{ ...image, Ec2ImageId: 'ami-2' }] }));
    expect(callList(first)).toEqual(['CreateStreamingImage streamingImage/studio-1/render', 'DeleteStreamingImage streamingImage/studio-1/render']);
    expect(second.calls).toEqual([]);
    const live = ((await em.getState()).nimble?.studios?.[0].streamingImages ?? []).filter((i) => i.state !== 'DELETED');
    expect(live.map((i) => [i.name, i.ec2ImageId, i.state])).toEqual([['render', 'ami-2', 'READY']]);
  });

  test('re-running the same create (a retried apply) makes no second image', async () => {
    const cfg = config({ streamingImages: [{ StudioId: 'studio-1', Name: 'render', Ec2ImageId: 'ami-1' }] });
    const { plan } = await planWith(em, cfg);
    await apply(em, plan);
    await apply(em, plan);
    const live = (await em.getState()).nimble?.studios?.[0].streamingImages ?? [];
    expect(live).toHaveLength(1);
    expect((await planWith(em, cfg)).plan.calls).toEqual([]);
  });
});

describe('AgentAccessConfig, which UpdateStack merges into what the stack has', () => {
  const agent = { Settings: [{ AgentAction: 'COMPUTER_VISION' as const, Permission: 'ENABLED' as const }], ScreenResolution: 'W_1280xH_720' as const, ScreenImageFormat: 'PNG' as const };
  const full = { ...agent, S3BucketArn: 'arn:aws:s3:::shots', ScreenshotsUploadEnabled: true, UserControlMode: 'VIEW_ONLY' as const };

  test.each([
    ['S3BucketArn and screenshot upload', { ...full, S3BucketArn: undefined, ScreenshotsUploadEnabled: undefined }],
    ['UserControlMode', { ...full, UserControlMode: undefined }],
  ])('removing %s converges: the old value is deleted first, and the replan is empty, not drift', async (_, after) => {
    const { first, second } = await change({ Name: 'design', AgentAccessConfig: full }, { Name: 'design', AgentAccessConfig: JSON.parse(JSON.stringify(after)) });
    expect(first.calls.slice(0, 2).map((c) => c.input)).toEqual([
      { Name: 'design', AttributesToDelete: ['AGENT_ACCESS_CONFIG'] },
      { Name: 'design', AgentAccessConfig: expect.objectContaining({ ScreenResolution: 'W_1280xH_720' }) },
    ]);
    expect(first.changes[0].drift).toBe(false);
    expect(second.calls).toEqual([]);
    const live = (await stack('design')).AgentAccessConfig as unknown as Record<string, unknown>;
    // Screenshot upload off is said explicitly; the other dropped members are gone.
    for (const [member, value] of Object.entries(after)) if (value === undefined) expect(live[member] || undefined).toBeUndefined();
  });

  test('a change that drops no member is one UpdateStack', async () => {
    const { first } = await change({ Name: 'design', AgentAccessConfig: full }, { Name: 'design', AgentAccessConfig: { ...full, ScreenImageFormat: 'JPEG' } });
    expect(callList(first).filter((c) => c.startsWith('UpdateStack'))).toHaveLength(1);
  });
});
