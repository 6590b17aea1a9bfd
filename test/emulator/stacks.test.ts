import {
  AppStreamServiceException,
  AssociateFleetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeFleetsCommand,
  DescribeStacksCommand,
  DisassociateFleetCommand,
  InvalidParameterCombinationException,
  LimitExceededException,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
  ResourceAlreadyExistsException,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStackCommand,
  type Stack,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { startTestEmulator, useFixtureEmulator } from '../helpers/emulator.js';

const ARN = 'arn:aws:appstream:us-east-1:123456789012:stack/';

const emulator = useFixtureEmulator();

const appstream = () => emulator().clients.appstream;
const describeOne = async (name: string): Promise<Stack> => (await appstream().send(new DescribeStacksCommand({ Names: [name] }))).Stacks![0];
const permissions = (stack: Stack) => Object.fromEntries(stack.UserSettings!.map((s) => [s.Action, s.Permission]));

describe('CreateStack and DescribeStacks', () => {
  it('returns the stack as the service fills it in, with CreatedTime parsed into a Date', async () => {
    const before = Date.now();
    const { Stack } = await appstream().send(
      new CreateStackCommand({
        Name: 'paint',
        DisplayName: 'Paint',
        Description: '',
        StorageConnectors: [{ ConnectorType: 'ONE_DRIVE', Domains: ['example.com'], DomainsRequireAdminConsent: ['example.com'] }],
        UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1000 }, { Action: 'FILE_UPLOAD', Permission: 'DISABLED' }],
        ApplicationSettings: { Enabled: true, SettingsGroup: 'artists' },
        EmbedHostDomains: ['studio.example.com'],
        StreamingExperienceSettings: { PreferredProtocol: 'UDP' },
        Tags: { team: 'paint' },
      }),
    );
    expect(Stack!.Arn).toBe(`${ARN}paint`);
    expect(Stack!.CreatedTime).toBeInstanceOf(Date);
    expect(Stack!.CreatedTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(Stack!.Description).toBeUndefined(); // an empty input string is never echoed
    expect(Stack!.DisplayName).toBe('Paint');
    expect(Stack!.ApplicationSettings).toEqual({ Enabled: true, SettingsGroup: 'artists', S3BucketName: 'appstream-app-settings-us-east-1-123456789012' });
    expect(Stack!.UserSettings).toHaveLength(8);
    expect(Stack!.UserSettings).toContainEqual({ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1000 });
    expect(permissions(Stack!)).toMatchObject({ FILE_UPLOAD: 'DISABLED', FILE_DOWNLOAD: 'ENABLED', AUTO_TIME_ZONE_REDIRECTION: 'ENABLED' });
    expect(await describeOne('paint')).toEqual(Stack);
  });

  it('fills defaults for seeded stacks and keeps seeded StackErrors and timestamps', async () => {
    const review = await describeOne('review');
    expect(review.CreatedTime).toEqual(new Date('2025-06-01T12:00:00Z'));
    expect(review.StackErrors).toEqual([{ ErrorCode: 'STORAGE_CONNECTOR_ERROR', ErrorMessage: 'home folders unavailable' }]);
    expect(review.ApplicationSettings).toEqual({ Enabled: false });
    expect(review.StorageConnectors).toEqual([]);
    expect(Object.values(permissions(review))).toEqual(Array(8).fill('ENABLED'));
  });

  it('fails with ResourceNotFoundException for an unknown name, even among known ones', async () => {
    const error = await appstream().send(new DescribeStacksCommand({ Names: ['design', 'nope'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toContain('nope');
  });

  it('refuses a second stack with the same name', async () => {
    await expect(appstream().send(new CreateStackCommand({ Name: 'design' }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });

  it.each([
    ['ApplicationSettings enabled without a settings group', { ApplicationSettings: { Enabled: true } }],
    ['MaximumLength on a non-clipboard action', { UserSettings: [{ Action: 'FILE_UPLOAD' as const, Permission: 'ENABLED' as const, MaximumLength: 5 }] }],
    ['MaximumLength on a disabled action', { UserSettings: [{ Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE' as const, Permission: 'DISABLED' as const, MaximumLength: 5 }] }],
    ['the same action twice', { UserSettings: [{ Action: 'PRINTING_TO_LOCAL_DEVICE' as const, Permission: 'ENABLED' as const }, { Action: 'PRINTING_TO_LOCAL_DEVICE' as const, Permission: 'DISABLED' as const }] }],
    ['admin consent domains on a non-OneDrive connector', { StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' as const, DomainsRequireAdminConsent: ['example.com'] }] }],
  ])('answers InvalidParameterCombinationException for %s', async (_, fields) => {
    await expect(appstream().send(new CreateStackCommand({ Name: 'bad', ...fields }))).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(describeOne('bad')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('pages DescribeStacks with tokens that change per page and are absent on the last page', async () => {
    const paged = await startTestEmulator({ pageSize: 2, state: { appstream: { stacks: ['a', 'b', 'c', 'd', 'e'].map((Name) => ({ Name })) } } });
    try {
      const names: string[] = [];
      const tokens: (string | undefined)[] = [];
      let NextToken: string | undefined;
      do {
        const page = await paged.clients.appstream.send(new DescribeStacksCommand({ NextToken }));
        expect(page.Stacks!.length).toBeLessThanOrEqual(2);
        names.push(...page.Stacks!.map((s) => s.Name!));
        tokens.push((NextToken = page.NextToken));
      } while (NextToken);
      expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(tokens).toHaveLength(3);
      expect(new Set(tokens.slice(0, 2)).size).toBe(2);
      expect(tokens[2]).toBeUndefined();
    } finally {
      await paged.close();
    }
  });
});

describe('UpdateStack', () => {
  it('changes only the members it names', async () => {
    const { Stack } = await appstream().send(new UpdateStackCommand({ Name: 'review', DisplayName: 'Review room' }));
    expect(Stack!.DisplayName).toBe('Review room');
    expect(Stack!.Description).toBe('Dailies');
  });

  it('merges storage connectors by type: a connector left out of the list stays', async () => {
    const { Stack } = await appstream().send(new UpdateStackCommand({ Name: 'design', StorageConnectors: [{ ConnectorType: 'GOOGLE_DRIVE', Domains: ['example.com'] }] }));
    expect(Stack!.StorageConnectors!.map((c) => c.ConnectorType)).toEqual(['HOMEFOLDERS', 'GOOGLE_DRIVE']);
  });

  it('removes connectors and clears members only through AttributesToDelete', async () => {
    await appstream().send(new UpdateStackCommand({ Name: 'design', RedirectURL: 'https://example.com/bye', StorageConnectors: [{ ConnectorType: 'ONE_DRIVE' }] }));
    const { Stack } = await appstream().send(
      new UpdateStackCommand({ Name: 'design', AttributesToDelete: ['STORAGE_CONNECTOR_HOMEFOLDERS', 'REDIRECT_URL', 'THEME_NAME'] }),
    );
    expect(Stack!.StorageConnectors).toEqual([{ ConnectorType: 'ONE_DRIVE' }]);
    expect(Stack!.RedirectURL).toBeUndefined();
    const cleared = await appstream().send(new UpdateStackCommand({ Name: 'design', AttributesToDelete: ['STORAGE_CONNECTORS'] }));
    expect(cleared.Stack!.StorageConnectors).toEqual([]);
  });

  it('changes only the user settings it names, and USER_SETTINGS restores the defaults', async () => {
    await appstream().send(new UpdateStackCommand({ Name: 'design', UserSettings: [{ Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' }] }));
    const { Stack } = await appstream().send(new UpdateStackCommand({ Name: 'design', UserSettings: [{ Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' }] }));
    expect(permissions(Stack!)).toMatchObject({ FILE_DOWNLOAD: 'DISABLED', PRINTING_TO_LOCAL_DEVICE: 'DISABLED', FILE_UPLOAD: 'ENABLED' });
    expect(Stack!.UserSettings).toHaveLength(8);
    const reset = await appstream().send(new UpdateStackCommand({ Name: 'design', AttributesToDelete: ['USER_SETTINGS'] }));
    expect(Object.values(permissions(reset.Stack!))).toEqual(Array(8).fill('ENABLED'));
  });

  it('clears a description given as an empty string and turns application settings off', async () => {
    await appstream().send(new UpdateStackCommand({ Name: 'review', ApplicationSettings: { Enabled: true, SettingsGroup: 'g' } }));
    const { Stack } = await appstream().send(new UpdateStackCommand({ Name: 'review', Description: '', ApplicationSettings: { Enabled: false } }));
    expect(Stack!.Description).toBeUndefined();
    expect(Stack!.ApplicationSettings).toEqual({ Enabled: false });
  });

  it.each([
    ['a connector type both set and deleted', { StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' as const }], AttributesToDelete: ['STORAGE_CONNECTOR_HOMEFOLDERS' as const] }],
    ['connectors both set and all deleted', { StorageConnectors: [{ ConnectorType: 'ONE_DRIVE' as const }], AttributesToDelete: ['STORAGE_CONNECTORS' as const] }],
    ['user settings both set and deleted', { UserSettings: [{ Action: 'FILE_UPLOAD' as const, Permission: 'ENABLED' as const }], AttributesToDelete: ['USER_SETTINGS' as const] }],
    ['a redirect URL both set and deleted', { RedirectURL: 'https://example.com', AttributesToDelete: ['REDIRECT_URL' as const] }],
  ])('answers InvalidParameterCombinationException for %s, changing nothing', async (_, fields) => {
    const before = await describeOne('design');
    await expect(appstream().send(new UpdateStackCommand({ Name: 'design', ...fields }))).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    expect(await describeOne('design')).toEqual(before);
  });

  it('fails with ResourceNotFoundException for an unknown stack', async () => {
    await expect(appstream().send(new UpdateStackCommand({ Name: 'nope', DisplayName: 'x' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('DeleteStack and fleet associations', () => {
  it('refuses to delete a stack while a fleet is associated, then deletes it once disassociated', async () => {
    const error = await appstream().send(new DeleteStackCommand({ Name: 'design' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceInUseException);
    expect((error as Error).message).toContain('fleet-a');
    await appstream().send(new DisassociateFleetCommand({ FleetName: 'fleet-a', StackName: 'design' }));
    await appstream().send(new DeleteStackCommand({ Name: 'design' }));
    await expect(describeOne('design')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(appstream().send(new DeleteStackCommand({ Name: 'design' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('associates idempotently and lists the associations both ways', async () => {
    await appstream().send(new AssociateFleetCommand({ FleetName: 'fleet-a', StackName: 'review' }));
    await appstream().send(new AssociateFleetCommand({ FleetName: 'fleet-a', StackName: 'review' }));
    const stacks = await appstream().send(new ListAssociatedStacksCommand({ FleetName: 'fleet-a' }));
    expect(stacks.Names).toEqual(['design', 'review']);
    const fleets = await appstream().send(new ListAssociatedFleetsCommand({ StackName: 'review' }));
    expect(fleets.Names).toEqual(['fleet-a']);
    const none = await appstream().send(new ListAssociatedFleetsCommand({ StackName: 'nope' }));
    expect(none.Names).toEqual([]);
  });

  it('fails with ResourceNotFoundException when associating an unknown fleet or stack', async () => {
    await expect(appstream().send(new AssociateFleetCommand({ FleetName: 'nope', StackName: 'design' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(appstream().send(new AssociateFleetCommand({ FleetName: 'fleet-a', StackName: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(appstream().send(new DisassociateFleetCommand({ FleetName: 'nope', StackName: 'design' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('describes fleets with the required members filled in', async () => {
    const { Fleets } = await appstream().send(new DescribeFleetsCommand({}));
    expect(Fleets).toHaveLength(1);
    expect(Fleets![0]).toMatchObject({ Name: 'fleet-a', Arn: 'arn:aws:appstream:us-east-1:123456789012:fleet/fleet-a', State: 'STOPPED', InstanceType: 'stream.standard.medium' });
    expect(Fleets![0].ComputeCapacityStatus?.Desired).toBeTypeOf('number');
    expect(Fleets![0].CreatedTime).toBeInstanceOf(Date);
    await expect(appstream().send(new DescribeFleetsCommand({ Names: ['nope'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('tags', () => {
  it('tags, lists and untags a stack by ARN', async () => {
    const ResourceArn = `${ARN}design`;
    await appstream().send(new TagResourceCommand({ ResourceArn, Tags: { env: 'prod', team: 'fx' } }));
    expect((await appstream().send(new ListTagsForResourceCommand({ ResourceArn }))).Tags).toEqual({ team: 'fx', env: 'prod' });
    await appstream().send(new UntagResourceCommand({ ResourceArn, TagKeys: ['team', 'absent'] }));
    expect((await appstream().send(new ListTagsForResourceCommand({ ResourceArn }))).Tags).toEqual({ env: 'prod' });
  });

  it('tags images and fleets too, but not AWS public images', async () => {
    const image = 'arn:aws:appstream:us-east-1:123456789012:image/lighting';
    await appstream().send(new TagResourceCommand({ ResourceArn: image, Tags: { tier: 'gold' } }));
    expect((await appstream().send(new ListTagsForResourceCommand({ ResourceArn: image }))).Tags).toEqual({ team: 'lighting', tier: 'gold' });
    const fleet = 'arn:aws:appstream:us-east-1:123456789012:fleet/fleet-a';
    await appstream().send(new TagResourceCommand({ ResourceArn: fleet, Tags: { a: '' } }));
    expect((await appstream().send(new ListTagsForResourceCommand({ ResourceArn: fleet }))).Tags).toEqual({ a: '' });
    const publicImage = 'arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-01-05-2026';
    await expect(appstream().send(new TagResourceCommand({ ResourceArn: publicImage, Tags: { a: 'b' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('fails with ResourceNotFoundException for an unknown ARN, and the tags of a deleted stack are gone', async () => {
    await expect(appstream().send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}nope` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await appstream().send(new DeleteStackCommand({ Name: 'review' }));
    await expect(appstream().send(new UntagResourceCommand({ ResourceArn: `${ARN}review`, TagKeys: ['a'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await appstream().send(new CreateStackCommand({ Name: 'review' }));
    expect((await appstream().send(new ListTagsForResourceCommand({ ResourceArn: `${ARN}review` }))).Tags).toEqual({});
  });

  it('refuses more than 50 tags on a resource, and aws: keys', async () => {
    const error = await appstream().send(new TagResourceCommand({ ResourceArn: `${ARN}design`, Tags: { 'aws:owner': 'x' } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppStreamServiceException);
    expect((error as Error).name).toBe('ValidationException');
    expect((error as Error).message).toContain("at 'tags'");
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await appstream().send(new TagResourceCommand({ ResourceArn: `${ARN}review`, Tags: many }));
    // Last: the SDK counts LimitExceeded as throttling and slows the client's next calls.
    await expect(appstream().send(new TagResourceCommand({ ResourceArn: `${ARN}review`, Tags: { one: 'more' } }))).rejects.toBeInstanceOf(LimitExceededException);
  });
});
