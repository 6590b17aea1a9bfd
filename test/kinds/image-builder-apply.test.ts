/**
 * Image builders end to end: describe, plan and apply against the emulator with the real SDK
 * clients. The emulator refuses to delete a running builder and to start or stop one on its way,
 * so a plan that got the order of stops, deletes and waits wrong fails here.
 */
import { DescribeImageBuildersCommand, StopImageBuilderCommand, type ImageBuilder } from '@aws-sdk/client-appstream';
import { describe, expect, test } from 'vitest';
import type { ImageBuilderConfig } from '../../src/config/types.js';
import type { EmulatorState } from '../../src/emulator/index.js';
import { buildImport } from '../../src/import/build.js';
import { describeAccount } from '../../src/import/describe.js';
import { OWNER_TAG } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import { apply, applyEvents, callList, config, convergeClean, mutationsOf, planWith, PROJECT, useAccount, withWaits } from '../plan/helpers.js';

const OTHER = '210987654321';
const SHARED_ARN = `arn:aws:appstream:us-east-1:${OTHER}:image/partner-2026`;
const IMAGES = [
  { Name: 'base', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-01-10T00:00:00Z' },
  { Name: 'base-2', Platform: 'WINDOWS_SERVER_2022', CreatedTime: '2026-03-10T00:00:00Z' },
  { Name: 'partner-2026', Visibility: 'SHARED', Arn: SHARED_ARN, CreatedTime: '2026-04-10T00:00:00Z' },
];
const ACCOUNT: EmulatorState = { appstream: { images: IMAGES, failingSubnets: ['subnet-full'] } };
const OWNED = { [OWNER_TAG]: PROJECT };

const BUILDER: ImageBuilderConfig = { Name: 'ib', ImageName: 'base', InstanceType: 'stream.standard.medium' };

const em = useAccount(ACCOUNT);

const builder = async (name = 'ib'): Promise<ImageBuilder> => (await em.clients.appstream.send(new DescribeImageBuildersCommand({ Names: [name] }))).ImageBuilders![0];
const mutations = () => mutationsOf(em);

const converged = (cfg: ReturnType<typeof config>, prune = false) => convergeClean(em, cfg, prune);
const events = (plan: Plan) => applyEvents(em, plan);

describe('creating', () => {
  test('every member is sent; without State the builder is left RUNNING as AWS starts it; the next plan has nothing to do', async () => {
    const full: ImageBuilderConfig = {
      ...BUILDER,
      Description: 'Design image builder',
      DisplayName: 'Design',
      VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-2', 'sg-1'] },
      IamRoleArn: 'arn:aws:iam::123456789012:role/builder',
      EnableDefaultInternetAccess: true,
      DomainJoinInfo: { DirectoryName: 'corp.example.com', OrganizationalUnitDistinguishedName: 'OU=builders,DC=corp' },
      AppstreamAgentVersion: 'LATEST',
      AccessEndpoints: [{ EndpointType: 'STREAMING', VpceId: 'vpce-1' }],
      RootVolumeConfig: { VolumeSizeInGb: 300 },
      SoftwaresToInstall: ['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit'],
      SoftwaresToUninstall: ['Microsoft_Visio_2021_LTSC_Professional_64Bit'],
      DisableIMDSV1: true,
      Tags: { team: 'design' },
    };
    const first = await converged(config({ imageBuilders: [full] }));
    expect(withWaits(first)).toEqual(['CreateImageBuilder (ImageBuilderRunning)']);
    const { Tags, ...members } = full;
    expect(first.calls[0].input).toEqual({ ...members, VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1', 'sg-2'] }, Tags: expect.objectContaining({ team: 'design', [OWNER_TAG]: PROJECT }) });
    expect(await builder()).toMatchObject({ State: 'RUNNING', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', EnableDefaultInternetAccess: true, DisableIMDSV1: true });
    expect((await em.getState()).appstream!.imageBuilders![0].SoftwaresToInstall).toEqual(['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit']);
  });

  test('State: STOPPED creates it, waits for RUNNING, then stops it', async () => {
    const first = await converged(config({ imageBuilders: [{ ...BUILDER, State: 'STOPPED' }] }));
    expect(withWaits(first)).toEqual(['CreateImageBuilder (ImageBuilderRunning)', 'StopImageBuilder (ImageBuilderStopped)']);
    expect((await builder()).State).toBe('STOPPED');
  });

  test('an image shared by another account: ImageName is refused with the ARN to use, ImageArn works', async () => {
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, ImageName: 'partner-2026' }] }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics).toMatchObject([
      {
        severity: 'error',
        address: 'imageBuilder/ib',
        message: `ImageName partner-2026: it is shared with this account by account ${OTHER}: AWS finds a shared image only by ARN (a lookup by name fails, Terraform #25875), so declare ImageArn: ${SHARED_ARN}`,
      },
    ]);
    await converged(config({ imageBuilders: [{ ...BUILDER, ImageName: undefined, ImageArn: SHARED_ARN }] }));
    expect((await builder()).ImageArn).toBe(SHARED_ARN);
  });

  test('LatestImage picks the account\'s newest own image; one that only a shared image matches is refused with the ARN', async () => {
    const created = await converged(config({ imageBuilders: [{ ...BUILDER, ImageName: undefined, LatestImage: { NamePrefix: 'base' } }] }));
    expect(created.calls[0].input).toMatchObject({ ImageName: 'base-2' });
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, Name: 'p', ImageName: undefined, LatestImage: { NamePrefix: 'partner' } }] }));
    expect(plan.diagnostics[0].message).toBe(
      `LatestImage "partner": the only matching image, partner-2026, is not the account's own: it is shared with this account by account ${OTHER}: AWS finds a shared image only by ARN (a lookup by name fails, Terraform #25875), so declare ImageArn: ${SHARED_ARN}`,
    );
  });

  test('an unknown ImageName is refused at plan time', async () => {
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, ImageName: 'typo' }] }));
    expect(plan.diagnostics).toMatchObject([{ severity: 'error', message: "ImageName typo: no image of that name exists (the account's own, or AWS's public ones)" }]);
  });
});

describe('state management', () => {
  test('State RUNNING starts a stopped builder; STOPPED stops a running one (an interruption); absent leaves an operator\'s stop alone', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, State: 'STOPPED' }] }));
    const started = await converged(config({ imageBuilders: [{ ...BUILDER, State: 'RUNNING' }] }));
    expect(withWaits(started)).toEqual(['StartImageBuilder (ImageBuilderRunning)', 'TagResource']);
    expect(started.changes[0]).toMatchObject({ diffs: [{ path: 'State', before: 'STOPPED', after: 'RUNNING', impact: 'update' }] });
    expect(started.changes[0].interruption).toBeUndefined();
    const stopped = await converged(config({ imageBuilders: [{ ...BUILDER, State: 'STOPPED' }] }));
    expect(withWaits(stopped)).toEqual(['StopImageBuilder (ImageBuilderStopped)', 'TagResource']);
    expect(stopped.changes[0]).toMatchObject({ interruption: 'stops image builder ib: whoever works in it is disconnected', diffs: [{ path: 'State', impact: 'interrupt' }] });
    // Without State, a stopped builder stays stopped.
    const unmanaged = await converged(config({ imageBuilders: [BUILDER] }));
    expect(callList(unmanaged)).toEqual(['TagResource imageBuilder/ib']);
    expect((await builder()).State).toBe('STOPPED');
  });

  test('tags change in place', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, Tags: { team: 'a', old: 'x' } }] }));
    await em.clearCalls();
    const retagged = await converged(config({ imageBuilders: [{ ...BUILDER, Tags: { team: 'b' } }] }));
    expect(retagged.changes[0]).toMatchObject({ action: 'update', diffs: [{ path: 'Tags', impact: 'update' }] });
    expect(await mutations()).toEqual(['UntagResource', 'TagResource']);
  });
});

describe('replacing', () => {
  test('any other change replaces: stop, delete (waited until gone), create; each attribute says "replace"; a RUNNING builder is an interruption', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, Description: 'one' }] }));
    await em.clearCalls();
    const replaced = await converged(config({ imageBuilders: [{ ...BUILDER, Description: 'two', InstanceType: 'stream.standard.large' }] }));
    expect(withWaits(replaced)).toEqual(['StopImageBuilder (ImageBuilderStopped)', 'DeleteImageBuilder (ImageBuilderDeleted)', 'CreateImageBuilder (ImageBuilderRunning)']);
    expect(replaced.changes[0]).toMatchObject({
      action: 'replace',
      reasonCode: 'replace_because_immutable',
      interruption: 'replaces image builder ib while it is RUNNING: whoever works in it is disconnected, and what is not saved in an image is lost',
      diffs: [
        { path: 'InstanceType', before: 'stream.standard.medium', after: 'stream.standard.large', impact: 'replace' },
        { path: 'Description', before: 'one', after: 'two', impact: 'replace' },
      ],
    });
    // The same image is given by the old builder's ARN.
    expect(replaced.calls[2].input).toMatchObject({ ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', InstanceType: 'stream.standard.large' });
    expect(await builder()).toMatchObject({ State: 'RUNNING', InstanceType: 'stream.standard.large', Description: 'two' });
  });

  test('clearing a managed attribute (null, or removed from the config) replaces the builder without it; a stopped builder is no interruption', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, State: 'STOPPED', DisplayName: 'D', IamRoleArn: 'arn:aws:iam::123456789012:role/b' }] }));
    const cleared = await converged(config({ imageBuilders: [{ ...BUILDER, State: 'STOPPED', DisplayName: null }] }));
    expect(cleared.changes[0]).toMatchObject({ action: 'replace', diffs: [{ path: 'DisplayName', after: null }, { path: 'IamRoleArn', after: null }] });
    expect(cleared.changes[0].interruption).toBeUndefined();
    expect(withWaits(cleared)).toEqual(['DeleteImageBuilder (ImageBuilderDeleted)', 'CreateImageBuilder (ImageBuilderRunning)', 'StopImageBuilder (ImageBuilderStopped)']);
    const after = await builder();
    expect(after.DisplayName).toBeUndefined();
    expect(after.IamRoleArn).toBeUndefined();
  });

  test('a new software list replaces the builder: it is compared with the digest of the last apply', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, SoftwaresToInstall: ['Microsoft_Office_2021_LTSC_Professional_Plus_64Bit'] }] }));
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, SoftwaresToInstall: ['Microsoft_Office_2024_LTSC_Professional_Plus_64Bit'] }] }));
    expect(plan.changes[0]).toMatchObject({ action: 'replace', diffs: [{ path: 'SoftwaresToInstall', after: ['Microsoft_Office_2024_LTSC_Professional_Plus_64Bit'], impact: 'replace' }] });
  });

  test('a builder another project owns, or nobody, is never replaced', async () => {
    await em.setState({ appstream: { images: IMAGES, imageBuilders: [{ Name: 'ib', InstanceType: 'stream.standard.small', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base' }] } });
    const { plan } = await planWith(em, config({ imageBuilders: [BUILDER] }));
    expect(plan.calls).toEqual([]);
    expect(plan.diagnostics[0].message).toBe('exists and is not owned by this project; it cannot change in place, and replacing it would delete it');
  });
});

describe('deleting, drift and health', () => {
  test('prune stops a running builder, waits, and deletes it until gone; an unowned one is left alone', async () => {
    await em.setState({
      appstream: {
        images: IMAGES,
        imageBuilders: [
          { Name: 'old', State: 'RUNNING', InstanceType: 'stream.standard.small', Tags: OWNED },
          { Name: 'theirs', State: 'RUNNING', InstanceType: 'stream.standard.small' },
        ],
      },
    });
    const first = await converged(config({}), true);
    expect(withWaits(first)).toEqual(['StopImageBuilder (ImageBuilderStopped)', 'DeleteImageBuilder (ImageBuilderDeleted)']);
    expect(first.changes[0]).toMatchObject({ action: 'delete', interruption: 'stops and deletes image builder old: whoever works in it is disconnected' });
    expect((await em.getState()).appstream!.imageBuilders!.map((b) => b.Name)).toEqual(['theirs']);
  });

  test('a change made outside streamform is drift', async () => {
    await converged(config({ imageBuilders: [{ ...BUILDER, State: 'RUNNING' }] }));
    await em.clients.appstream.send(new StopImageBuilderCommand({ Name: 'ib' }));
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, State: 'RUNNING' }] }));
    expect(plan.changes[0]).toMatchObject({ drift: true, reasonCode: 'drift' });
    // Waited for while STOPPING (how long that lasts depends on the machine), then started.
    expect(withWaits(plan).filter((c) => !c.startsWith('DescribeImageBuilders'))).toEqual(['StartImageBuilder (ImageBuilderRunning)']);
    await apply(em, plan);
    expect((await builder()).State).toBe('RUNNING');
  });

  test('ImageBuilderErrors and FAILED are errors even when nothing changes', async () => {
    await em.setState({
      appstream: {
        images: IMAGES,
        imageBuilders: [
          { Name: 'ib', State: 'FAILED', InstanceType: 'stream.standard.medium', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', Tags: OWNED, ImageBuilderErrors: [{ ErrorCode: 'IAM_SERVICE_ROLE_IS_MISSING', ErrorMessage: 'The role is missing.' }] },
          { Name: 'other', State: 'FAILED', InstanceType: 'stream.standard.medium', ImageArn: 'arn:aws:appstream:us-east-1:123456789012:image/base', Tags: OWNED, StateChangeReason: { Code: 'IMAGE_UNAVAILABLE', Message: 'gone' } },
        ],
      },
    });
    const { plan } = await planWith(em, config({ imageBuilders: [BUILDER, { ...BUILDER, Name: 'other', State: 'RUNNING' }] }));
    expect(plan.diagnostics.map((d) => `${d.address}: ${d.message}`)).toEqual([
      'imageBuilder/ib: image builder error IAM_SERVICE_ROLE_IS_MISSING: The role is missing. (state FAILED)',
      'imageBuilder/other: image builder is FAILED: IMAGE_UNAVAILABLE: gone',
    ]);
    expect(plan.calls.filter((c) => c.operation !== 'TagResource')).toEqual([]);
  });
});

describe('waiting', () => {
  test('a builder that fails to launch fails the create\'s wait at once, with its errors', async () => {
    const { plan } = await planWith(em, config({ imageBuilders: [{ ...BUILDER, VpcConfig: { SubnetIds: ['subnet-full'] } }] }));
    const started = Date.now();
    const seen = await events(plan);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen.find((e) => e.type === 'call-failed')).toMatchObject({
      error: { name: 'FAILED', message: 'image builder ib is FAILED: NETWORK_INTERFACE_LIMIT_EXCEEDED: The subnet has no free IP addresses for the image builder.' },
    });
  });
});

describe('import and calls', () => {
  test('import declares what the last apply managed, and planning it right away has nothing to do', async () => {
    const cfg = config({ imageBuilders: [{ ...BUILDER, DisplayName: 'D', State: 'STOPPED', Tags: { team: 'a' } }, { ...BUILDER, Name: 'shared', ImageName: undefined, ImageArn: SHARED_ARN }] });
    await converged(cfg);
    const live = await describeAccount(em.clients, { studios: [] });
    const { config: imported } = buildImport(live, { project: PROJECT, region: 'us-east-1' });
    expect(imported.imageBuilders).toEqual(cfg.imageBuilders!.map((b) => Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined))));
    const { plan } = await planWith(em, { ...imported, region: undefined });
    expect(plan.calls).toEqual([]);
  });

  test('a plan of 30 builders reads them in pages, tags in bulk, and no builder or image one by one', async () => {
    const declared = Array.from({ length: 30 }, (_, i) => ({ ...BUILDER, Name: `b${String(i).padStart(2, '0')}` }));
    await converged(config({ imageBuilders: declared }));
    await em.clearCalls();
    await planWith(em, config({ imageBuilders: declared }));
    const counts: Record<string, number> = {};
    for (const { operation } of await em.calls()) counts[operation] = (counts[operation] ?? 0) + 1;
    // GetResources: the bulk tags, and one owner-filtered read of what this project owns and no longer declares.
    expect(counts).toMatchObject({ DescribeImageBuilders: 2, GetResources: 2 });
    expect(counts.DescribeImages).toBeUndefined();
    expect(counts.ListTagsForResource).toBeUndefined();
  });
});
