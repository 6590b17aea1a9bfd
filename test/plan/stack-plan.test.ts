/** Stacks, pure: config + in-memory live state → changes and calls. */
import { describe, expect, test } from 'vitest';
import type { StackConfig } from '../../src/config/types.js';
import { OWNER_TAG, readRecord } from '../../src/core/ownership.js';
import { config, PROJECT } from './helpers.js';
import { emptyLive, liveStack, planOf, toolTagsFor } from './live.js';

const stacks = (...list: StackConfig[]) => config({ stacks: list });

/** A live state with one stack, owned by this project and last applied from `applied`. */
function ownedBy(applied: StackConfig, fields: Parameters<typeof liveStack>[1] = {}, userTags: Record<string, string> = {}, fleets?: string[]) {
  const live = emptyLive();
  const tags = { ...userTags, ...toolTagsFor(stacks(applied), `stack/${applied.Name}`) };
  live.stacks[applied.Name] = liveStack(applied.Name, fields, tags, fleets);
  return live;
}

const onlyCall = (plan: ReturnType<typeof planOf>, operation: string) => {
  const found = plan.calls.filter((c) => c.operation === operation);
  expect(found).toHaveLength(1);
  return found[0].input;
};

describe('creating a stack', () => {
  test('CreateStack carries every declared value and all tags, then one AssociateFleet per fleet', () => {
    const plan = planOf(
      stacks({
        Name: 'design',
        Description: 'Design team',
        RedirectURL: null,
        StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }],
        UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1000 }],
        Fleets: ['b-fleet', 'a-fleet'],
        Tags: { team: 'design' },
      }),
      emptyLive(),
    );
    expect(plan.calls.map((c) => c.operation)).toEqual(['CreateStack', 'AssociateFleet', 'AssociateFleet']);
    const create = plan.calls[0].input;
    expect(create).toMatchObject({
      Name: 'design',
      Description: 'Design team',
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }],
      UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 1000 }],
    });
    // A cleared attribute has nothing to create.
    expect(create).not.toHaveProperty('RedirectURL');
    expect(create.Tags).toMatchObject({ team: 'design', [OWNER_TAG]: PROJECT });
    expect(readRecord(create.Tags as Record<string, string>)).toMatchObject({ a: ['Description', 'StorageConnectors'], u: ['CLIPBOARD_COPY_TO_LOCAL_DEVICE'], t: ['team'], f: ['a-fleet', 'b-fleet'] });
    expect(plan.calls.slice(1).map((c) => c.input)).toEqual([
      { FleetName: 'a-fleet', StackName: 'design' },
      { FleetName: 'b-fleet', StackName: 'design' },
    ]);
    expect(plan.changes[0]).toMatchObject({ address: 'stack/design', action: 'create', drift: false, adopt: false, liveDigest: null });
    expect(plan.summary).toEqual({ create: 1, update: 0, replace: 0, delete: 0 });
  });

  test('the diffs of a create show what will be set, never streamform\'s own tags', () => {
    const plan = planOf(stacks({ Name: 'design', DisplayName: 'Design', Tags: { team: 'd' } }), emptyLive());
    expect(plan.changes[0].diffs).toEqual([
      { impact: 'update', path: 'DisplayName', after: 'Design' },
      { impact: 'update', path: 'Tags', after: { team: 'd' } },
    ]);
  });
});

describe('nothing to do', () => {
  test('a stack that matches its config plans no call', () => {
    const applied: StackConfig = { Name: 'design', Description: 'Design', EmbedHostDomains: ['b.example.com', 'a.example.com'], Tags: { team: 'd' } };
    const live = ownedBy(applied, { Description: 'Design', EmbedHostDomains: ['a.example.com', 'b.example.com'] }, { team: 'd' });
    const plan = planOf(stacks(applied), live);
    expect(plan.calls).toEqual([]);
    expect(plan.changes[0]).toMatchObject({ action: 'no-op', drift: false, adopt: false, diffs: [] });
    expect(plan.summary).toEqual({ create: 0, update: 0, replace: 0, delete: 0 });
  });

  test('partial user settings do not diff against the full list AWS returns (Terraform #22652)', () => {
    const applied: StackConfig = { Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] };
    const live = ownedBy(applied, { UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] });
    expect(planOf(stacks(applied), live).calls).toEqual([]);
  });

  test('an action AWS adds later is not managed, so it never shows as a diff (Terraform #39754)', () => {
    const applied: StackConfig = { Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] };
    const live = ownedBy(applied, { UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] });
    live.stacks.design.stack.UserSettings!.push({ Action: 'SOME_FUTURE_ACTION' as never, Permission: 'DISABLED' });
    expect(planOf(stacks(applied), live).calls).toEqual([]);
  });

  test('an ENABLED clipboard action without MaximumLength equals the 20 MB the service reports', () => {
    const applied: StackConfig = { Name: 'design', UserSettings: [{ Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'ENABLED' }] };
    const live = ownedBy(applied, { UserSettings: [{ Action: 'CLIPBOARD_COPY_FROM_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 20_971_520 }] });
    expect(planOf(stacks(applied), live).calls).toEqual([]);
  });

  test('tags in another order, AWS\'s own keys and the S3 bucket AWS adds never diff (CloudFormation #1258)', () => {
    const applied: StackConfig = { Name: 'design', ApplicationSettings: { Enabled: true, SettingsGroup: 'g' }, Tags: { b: '2', a: '1' } };
    const live = ownedBy(applied, { ApplicationSettings: { Enabled: true, SettingsGroup: 'g', S3BucketName: 'appstream-app-settings' } }, { a: '1', b: '2', 'aws:cloudformation:stack-name': 'x' });
    expect(planOf(stacks(applied), live).calls).toEqual([]);
  });

  test('attributes not declared and never applied are left alone', () => {
    const applied: StackConfig = { Name: 'design' };
    const live = ownedBy(applied, { RedirectURL: 'https://set.elsewhere', Description: 'by hand' }, { owner: 'ops' });
    expect(planOf(stacks(applied), live).calls).toEqual([]);
  });
});

describe('updating a stack', () => {
  test('one UpdateStack carries changed values; Description and DisplayName change in place (Terraform #28764)', () => {
    const applied: StackConfig = { Name: 'design', Description: 'old', DisplayName: 'Old', RedirectURL: 'https://r' };
    const live = ownedBy(applied, { Description: 'old', DisplayName: 'Old', RedirectURL: 'https://r' });
    const plan = planOf(stacks({ ...applied, Description: 'new', DisplayName: 'New' }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateStack', 'TagResource']);
    expect(plan.calls[0].input).toEqual({ Name: 'design', DisplayName: 'New', Description: 'new' });
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: false });
    expect(plan.changes[0].diffs).toEqual([
      { impact: 'update', path: 'DisplayName', before: 'Old', after: 'New' },
      { impact: 'update', path: 'Description', before: 'old', after: 'new' },
    ]);
    // The new record rides on the last call.
    expect(Object.keys(plan.calls[1].input.Tags as object)).toEqual(['streamform:applied']);
  });

  test('a storage connector change is sent on update, as the complete list (Terraform #30728)', () => {
    const applied: StackConfig = { Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }] };
    const live = ownedBy(applied, { StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }] });
    const wanted: StackConfig = {
      Name: 'design',
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'ONE_DRIVE', Domains: ['b.com', 'a.com'], DomainsRequireAdminConsent: ['a.com'] }],
    };
    const update = onlyCall(planOf(stacks(wanted), live), 'UpdateStack');
    expect(update).toEqual({
      Name: 'design',
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'ONE_DRIVE', Domains: ['a.com', 'b.com'], DomainsRequireAdminConsent: ['a.com'] }],
    });
  });

  test('a removed connector type is named in AttributesToDelete while the rest is sent, never both for one type', () => {
    const applied: StackConfig = { Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }, { ConnectorType: 'GOOGLE_DRIVE', Domains: ['a.com'] }] };
    const live = ownedBy(applied, { StorageConnectors: [{ ConnectorType: 'GOOGLE_DRIVE', Domains: ['a.com'] }, { ConnectorType: 'HOMEFOLDERS' }] });
    const plan = planOf(stacks({ Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }] }), live);
    const update = onlyCall(plan, 'UpdateStack');
    expect(update).toEqual({ Name: 'design', StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }], AttributesToDelete: ['STORAGE_CONNECTOR_GOOGLE_DRIVE'] });
    expect(plan.changes[0].diffs[0]).toMatchObject({ path: 'StorageConnectors', added: [], removed: [{ ConnectorType: 'GOOGLE_DRIVE', Domains: ['a.com'] }] });
    expect(JSON.stringify(plan.calls)).not.toContain('DeleteStorageConnectors');
  });

  test('embed host domains are sent on update (Terraform #48980)', () => {
    const applied: StackConfig = { Name: 'design', EmbedHostDomains: ['a.example.com'] };
    const live = ownedBy(applied, { EmbedHostDomains: ['a.example.com'] });
    const plan = planOf(stacks({ Name: 'design', EmbedHostDomains: ['a.example.com', 'b.example.com'] }), live);
    expect(onlyCall(plan, 'UpdateStack')).toEqual({ Name: 'design', EmbedHostDomains: ['a.example.com', 'b.example.com'] });
    expect(plan.changes[0].diffs[0]).toMatchObject({ path: 'EmbedHostDomains', added: ['b.example.com'], removed: [] });
  });

  test('MaximumLength and DomainsRequireAdminConsent are supported (Terraform #39078, #42998)', () => {
    const applied: StackConfig = { Name: 'design', UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED' }] };
    const live = ownedBy(applied);
    const plan = planOf(stacks({ Name: 'design', UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 4096 }] }), live);
    expect(onlyCall(plan, 'UpdateStack')).toEqual({
      Name: 'design',
      UserSettings: [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED', MaximumLength: 4096 }],
    });
    expect(plan.changes[0].diffs).toContainEqual({
      impact: 'update',
      path: 'UserSettings',
      before: { CLIPBOARD_COPY_TO_LOCAL_DEVICE: { Permission: 'ENABLED', MaximumLength: 20_971_520 } },
      after: { CLIPBOARD_COPY_TO_LOCAL_DEVICE: { Permission: 'ENABLED', MaximumLength: 4096 } },
    });
  });

  test('a long FeedbackURL (up to 1000 characters) is sent as it is (Terraform #27743)', () => {
    const url = `https://example.com/${'f'.repeat(980)}`;
    const live = ownedBy({ Name: 'design' });
    expect(onlyCall(planOf(stacks({ Name: 'design', FeedbackURL: url }), live), 'UpdateStack')).toEqual({ Name: 'design', FeedbackURL: url });
  });
});

describe('clearing (three-way)', () => {
  test('removing RedirectURL from the config clears it, because streamform set it (Terraform #7 class)', () => {
    const applied: StackConfig = { Name: 'design', RedirectURL: 'https://r', Description: 'd' };
    const live = ownedBy(applied, { RedirectURL: 'https://r', Description: 'd', FeedbackURL: 'https://set.elsewhere' });
    const plan = planOf(stacks({ Name: 'design', Description: 'd' }), live);
    // FeedbackURL was never streamform's: it stays.
    expect(onlyCall(plan, 'UpdateStack')).toEqual({ Name: 'design', AttributesToDelete: ['REDIRECT_URL'] });
    expect(plan.changes[0].diffs[0]).toEqual({ impact: 'update', path: 'RedirectURL', before: 'https://r', after: null });
  });

  test('an explicit null or empty list clears, through AttributesToDelete or the value meaning "none"', () => {
    const live = ownedBy({ Name: 'design' }, {
      Description: 'd',
      DisplayName: 'D',
      RedirectURL: 'https://r',
      FeedbackURL: 'https://f',
      EmbedHostDomains: ['a.example.com'],
      AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-1' }],
      StorageConnectors: [{ ConnectorType: 'HOMEFOLDERS' }],
      StreamingExperienceSettings: { PreferredProtocol: 'UDP' },
      ApplicationSettings: { Enabled: true, SettingsGroup: 'g', S3BucketName: 'b' },
    });
    const plan = planOf(
      stacks({
        Name: 'design',
        Description: null,
        DisplayName: '',
        RedirectURL: null,
        FeedbackURL: null,
        EmbedHostDomains: [],
        AccessEndpoints: null,
        StorageConnectors: [],
        StreamingExperienceSettings: null,
        ApplicationSettings: null,
      }),
      live,
    );
    expect(onlyCall(plan, 'UpdateStack')).toEqual({
      Name: 'design',
      DisplayName: '',
      Description: '',
      ApplicationSettings: { Enabled: false },
      AttributesToDelete: ['REDIRECT_URL', 'FEEDBACK_URL', 'STORAGE_CONNECTORS', 'ACCESS_ENDPOINTS', 'EMBED_HOST_DOMAINS', 'STREAMING_EXPERIENCE_SETTINGS'],
    });
  });

  test('UserSettings: null returns every action to its default with USER_SETTINGS', () => {
    const live = ownedBy({ Name: 'design' }, { UserSettings: [{ Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' }] });
    const plan = planOf(stacks({ Name: 'design', UserSettings: null }), live);
    expect(onlyCall(plan, 'UpdateStack')).toEqual({ Name: 'design', AttributesToDelete: ['USER_SETTINGS'] });
    expect(plan.changes[0].diffs[0]).toEqual({ impact: 'update', path: 'UserSettings', before: { FILE_DOWNLOAD: { Permission: 'DISABLED' } }, after: { FILE_DOWNLOAD: { Permission: 'ENABLED' } } });
  });

  test('an action removed from the config returns to ENABLED; undeclared actions set elsewhere stay', () => {
    const applied: StackConfig = { Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }, { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' }] };
    const live = ownedBy(applied, {
      UserSettings: [
        { Action: 'FILE_UPLOAD', Permission: 'DISABLED' },
        { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' },
        { Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' },
      ],
    });
    const plan = planOf(stacks({ Name: 'design', UserSettings: [{ Action: 'FILE_UPLOAD', Permission: 'DISABLED' }] }), live);
    expect(onlyCall(plan, 'UpdateStack')).toEqual({
      Name: 'design',
      UserSettings: [
        { Action: 'FILE_UPLOAD', Permission: 'DISABLED' },
        { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'ENABLED' },
      ],
    });
  });

  test('a removed tag is untagged; tags streamform never managed stay', () => {
    const applied: StackConfig = { Name: 'design', Tags: { team: 'd', cost: '1' } };
    const live = ownedBy(applied, {}, { team: 'd', cost: '1', owner: 'ops' });
    const plan = planOf(stacks({ Name: 'design', Tags: { team: 'd' } }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['UntagResource', 'TagResource']);
    expect(plan.calls[0].input).toEqual({ ResourceArn: 'arn:aws:appstream:us-east-1:123456789012:stack/design', TagKeys: ['cost'] });
    expect(Object.keys(plan.calls[1].input.Tags as object)).toEqual(['streamform:applied']);
    expect(plan.changes[0].diffs).toEqual([{ impact: 'update', path: 'Tags', before: { cost: '1' }, after: {} }]);
  });

  test('Tags: null removes every user tag, never streamform\'s own', () => {
    const live = ownedBy({ Name: 'design' }, {}, { team: 'd', owner: 'ops' });
    const plan = planOf(stacks({ Name: 'design', Tags: null }), live);
    expect(plan.calls[0]).toMatchObject({ operation: 'UntagResource', input: { TagKeys: ['owner', 'team'] } });
  });
});

describe('fleets', () => {
  test('a declared Fleets list is the whole set: missing ones are associated, others disassociated', () => {
    const applied: StackConfig = { Name: 'design', Fleets: ['a', 'b'] };
    const live = ownedBy(applied, {}, {}, ['b', 'c']);
    const plan = planOf(stacks(applied), live);
    expect(plan.calls.map((c) => `${c.operation} ${c.input.FleetName}`)).toEqual(['DisassociateFleet c', 'AssociateFleet a']);
    expect(plan.changes[0].diffs).toEqual([{ impact: 'update', path: 'Fleets', before: ['b', 'c'], after: ['a', 'b'], added: ['a'], removed: ['c'] }]);
  });

  test('removing Fleets from the config disassociates only the fleets streamform associated', () => {
    const applied: StackConfig = { Name: 'design', Fleets: ['a'] };
    const live = ownedBy(applied, {}, {}, ['a', 'other']);
    const plan = planOf(stacks({ Name: 'design' }), live);
    expect(plan.calls.map((c) => `${c.operation} ${c.input.FleetName ?? ''}`)).toEqual(['DisassociateFleet a', 'TagResource ']);
  });

  test('update order: UpdateStack, fleet associations, then tags, the record last', () => {
    const applied: StackConfig = { Name: 'design', Description: 'a', Fleets: ['a'], Tags: { x: '1', y: '1' } };
    const live = ownedBy(applied, { Description: 'a' }, { x: '1', y: '1' }, ['a']);
    const plan = planOf(stacks({ Name: 'design', Description: 'b', Fleets: ['b'], Tags: { x: '2' } }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateStack', 'DisassociateFleet', 'AssociateFleet', 'UntagResource', 'TagResource']);
    expect(plan.calls.map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    expect(plan.calls[4].input.Tags).toMatchObject({ x: '2' });
    expect(plan.calls[4].input.Tags).toHaveProperty('streamform:applied');
  });
});

describe('drift', () => {
  test('a change made outside streamform, with the config unchanged since the last apply, is drift', () => {
    const applied: StackConfig = { Name: 'design', Description: 'mine', Tags: { team: 'd' } };
    const live = ownedBy(applied, { Description: 'changed by hand' }, { team: 'd' });
    const plan = planOf(stacks(applied), live);
    expect(plan.changes[0]).toMatchObject({ action: 'update', drift: true });
    // The record is unchanged, so only the value is written back.
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateStack']);
  });

  test('a change that comes from the config is not drift', () => {
    const applied: StackConfig = { Name: 'design', Description: 'mine' };
    const live = ownedBy(applied, { Description: 'changed by hand' });
    expect(planOf(stacks({ Name: 'design', Description: 'new' }), live).changes[0]).toMatchObject({ action: 'update', drift: false });
  });
});

describe('ownership', () => {
  test('an existing stack without an owner tag is adopted: owner and record are written, nothing else changes', () => {
    const live = emptyLive();
    live.stacks.design = liveStack('design', { Description: 'd' }, { team: 'd' });
    const plan = planOf(stacks({ Name: 'design', Description: 'd', Tags: { team: 'd' } }), live);
    expect(plan.changes[0]).toMatchObject({ action: 'update', adopt: true, drift: false, diffs: [], reason: 'adopt: tag it as owned by this project' });
    expect(plan.calls.map((c) => c.operation)).toEqual(['TagResource']);
    expect(plan.calls[0].input.Tags).toMatchObject({ [OWNER_TAG]: PROJECT });
  });

  test('a stack owned by another project is an error and nothing is done to it', () => {
    const live = emptyLive();
    live.stacks.design = liveStack('design', { Description: 'theirs' }, { [OWNER_TAG]: 'other' });
    const plan = planOf(stacks({ Name: 'design', Description: 'mine' }), live);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', address: 'stack/design', message: expect.stringContaining('owned by project "other"') }),
    ]);
    expect(plan.changes[0].action).toBe('no-op');
  });

  test('a record on a stack this project does not own is not trusted', () => {
    const live = emptyLive();
    const tags = toolTagsFor(stacks({ Name: 'design', RedirectURL: 'https://r' }), 'stack/design');
    delete tags[OWNER_TAG];
    live.stacks.design = liveStack('design', { RedirectURL: 'https://r' }, tags);
    const plan = planOf(stacks({ Name: 'design' }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['TagResource']);
  });
});

describe('prune', () => {
  function account() {
    const live = emptyLive();
    live.stacks.mine = liveStack('mine', {}, toolTagsFor(stacks({ Name: 'mine' }), 'stack/mine'), ['f1', 'f2']);
    live.stacks.unowned = liveStack('unowned', {}, { team: 'x' }, []);
    live.stacks.theirs = liveStack('theirs', {}, { [OWNER_TAG]: 'other' }, []);
    live.stacks.kept = liveStack('kept', {}, toolTagsFor(stacks({ Name: 'kept' }), 'stack/kept'));
    return live;
  }

  test('deletes only stacks owned by this project that are no longer declared, fleets disassociated first (Terraform #25354)', () => {
    const plan = planOf(stacks({ Name: 'kept' }), account(), { prune: true });
    expect(plan.calls.map((c) => `${c.operation} ${c.address} phase ${c.phase}`)).toEqual([
      'DisassociateFleet stack/mine phase 1',
      'DisassociateFleet stack/mine phase 1',
      'DeleteStack stack/mine phase 1',
    ]);
    expect(plan.changes.find((c) => c.address === 'stack/mine')).toMatchObject({ action: 'delete' });
    expect(plan.summary.delete).toBe(1);
  });

  test('without prune nothing is deleted', () => {
    expect(planOf(stacks({ Name: 'kept' }), account()).calls).toEqual([]);
  });
});

describe('health and limits', () => {
  test('StackErrors are errors even when nothing changes', () => {
    const applied: StackConfig = { Name: 'design' };
    const live = ownedBy(applied, { StackErrors: [{ ErrorCode: 'STORAGE_CONNECTOR_ERROR', ErrorMessage: 'The bucket is gone.' }] });
    const plan = planOf(stacks(applied), live);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toEqual([
      { severity: 'error', address: 'stack/design', message: 'stack error STORAGE_CONNECTOR_ERROR: The bucket is gone.', source: { file: 'streamform.yaml', line: 1, column: 1 } },
    ]);
  });

  test('more than 50 tags with streamform\'s own is an error for that stack, with no call', () => {
    const userTags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
    // The owner tag and the record (one tag, however many keys it lists) leave room for 48 user tags.
    expect(planOf(stacks({ Name: 'design', Tags: userTags(48) }), emptyLive()).calls).toHaveLength(1);
    const plan = planOf(stacks({ Name: 'design', Tags: userTags(49) }), emptyLive());
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0]).toMatchObject({ severity: 'error', address: 'stack/design', message: expect.stringMatching(/would carry 51 tags, more than the 50 AWS allows/) });
  });

  test('a stack whose state could not be read gets its error and no call', () => {
    const live = emptyLive();
    live.stacks.design = liveStack('design');
    live.errors.push({ address: 'stack/design', message: 'ListTagsForResource failed: ThrottlingException: Rate exceeded' });
    const plan = planOf(stacks({ Name: 'design', Description: 'x' }), live);
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', address: 'stack/design', message: 'ListTagsForResource failed: ThrottlingException: Rate exceeded' }]);
  });

  test('when the config changed but AWS already matches, only the record is written, and the change says why', () => {
    const live = ownedBy({ Name: 'design' }, { Description: 'd' });
    const plan = planOf(stacks({ Name: 'design', Description: 'd' }), live);
    expect(plan.calls.map((c) => c.operation)).toEqual(['TagResource']);
    expect(plan.changes[0]).toMatchObject({ action: 'update', diffs: [], reason: 'record the applied configuration (AWS already matches it)' });
  });
});
