import {
  DeleteImageCommand,
  DeleteImagePermissionsCommand,
  DescribeImagePermissionsCommand,
  DescribeImagesCommand,
  OperationNotPermittedException,
  ResourceInUseException,
  ResourceNotAvailableException,
  ResourceNotFoundException,
  UpdateImagePermissionsCommand,
  paginateDescribeImages,
} from '@aws-sdk/client-appstream';
import { describe, expect, it } from 'vitest';
import { loadStateFile } from '../../src/emulator/index.js';
import { startTestEmulator, useFixtureEmulator } from '../helpers/emulator.js';


const fixture = loadStateFile('test/fixtures/emulator/state.yaml');
const emulator = useFixtureEmulator();

const appstream = () => emulator().clients.appstream;

describe('DescribeImages', () => {
  it('lists every image with service defaults and epoch timestamps parsed into Dates', async () => {
    const { Images, NextToken } = await appstream().send(new DescribeImagesCommand({}));
    expect(NextToken).toBeUndefined();
    expect(Images!.map((i) => i.Name)).toEqual(['AppStream-WinServer2022-01-05-2026', 'base-2026', 'lighting']);
    const base = Images!.find((i) => i.Name === 'base-2026')!;
    expect(base).toMatchObject({ Arn: 'arn:aws:appstream:us-east-1:123456789012:image/base-2026', State: 'AVAILABLE', Visibility: 'PRIVATE', ImageSharedWithOthers: 'FALSE' });
    expect(base.PublicBaseImageReleasedDate).toEqual(new Date('2026-01-05T00:00:00Z'));
    expect(base.CreatedTime).toBeInstanceOf(Date);
    const publicImage = Images!.find((i) => i.Visibility === 'PUBLIC')!;
    expect(publicImage.Arn).toBe('arn:aws:appstream:us-east-1::image/AppStream-WinServer2022-01-05-2026');
    expect(Images!.find((i) => i.Name === 'lighting')!.ImageSharedWithOthers).toBe('TRUE');
  });

  it('selects by name, by ARN and by visibility', async () => {
    const byName = await appstream().send(new DescribeImagesCommand({ Names: ['lighting'] }));
    expect(byName.Images!.map((i) => i.Name)).toEqual(['lighting']);
    const byArn = await appstream().send(new DescribeImagesCommand({ Arns: ['arn:aws:appstream:us-east-1:123456789012:image/base-2026'] }));
    expect(byArn.Images!.map((i) => i.Name)).toEqual(['base-2026']);
    const publicOnes = await appstream().send(new DescribeImagesCommand({ Type: 'PUBLIC' }));
    expect(publicOnes.Images!.map((i) => i.Visibility)).toEqual(['PUBLIC']);
  });

  it('fails with ResourceNotFoundException for an unknown name or ARN', async () => {
    await expect(appstream().send(new DescribeImagesCommand({ Names: ['base-2026', 'nope'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(appstream().send(new DescribeImagesCommand({ Arns: ['arn:aws:appstream:us-east-1:123456789012:image/nope'] }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('pages by MaxResults, and by the page size when that is smaller', async () => {
    const first = await appstream().send(new DescribeImagesCommand({ MaxResults: 1 }));
    expect(first.Images).toHaveLength(1);
    const second = await appstream().send(new DescribeImagesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.Images![0].Name).not.toBe(first.Images![0].Name);
    expect(second.NextToken).toBeDefined();
    expect(second.NextToken).not.toBe(first.NextToken);

    const images = Array.from({ length: 5 }, (_, i) => ({ Name: `img-${i}` }));
    const paged = await startTestEmulator({ pageSize: 2, state: { appstream: { images } } });
    try {
      const pages = [];
      for await (const page of paginateDescribeImages({ client: paged.clients.appstream }, { MaxResults: 25 })) pages.push(page.Images!.map((i) => i.Name));
      expect(pages).toEqual([['img-0', 'img-1'], ['img-2', 'img-3'], ['img-4']]);
    } finally {
      await paged.close();
    }
  });
});

describe('image permissions', () => {
  it('shares, lists, updates and unshares a private image (camelCase members on the wire)', async () => {
    await appstream().send(
      new UpdateImagePermissionsCommand({ Name: 'base-2026', SharedAccountId: '111122223333', ImagePermissions: { allowFleet: true, allowImageBuilder: true } }),
    );
    await appstream().send(
      new UpdateImagePermissionsCommand({ Name: 'base-2026', SharedAccountId: '111122223333', ImagePermissions: { allowFleet: false, allowImageBuilder: true } }),
    );
    const listed = await appstream().send(new DescribeImagePermissionsCommand({ Name: 'base-2026' }));
    expect(listed.Name).toBe('base-2026');
    expect(listed.SharedImagePermissionsList).toEqual([{ sharedAccountId: '111122223333', imagePermissions: { allowFleet: false, allowImageBuilder: true } }]);
    await appstream().send(new DeleteImagePermissionsCommand({ Name: 'base-2026', SharedAccountId: '111122223333' }));
    expect((await appstream().send(new DescribeImagePermissionsCommand({ Name: 'base-2026' }))).SharedImagePermissionsList).toEqual([]);
  });

  it('reads seeded permissions and filters them by account', async () => {
    const all = await appstream().send(new DescribeImagePermissionsCommand({ Name: 'lighting' }));
    expect(all.SharedImagePermissionsList).toEqual([{ sharedAccountId: '210987654321', imagePermissions: { allowFleet: true, allowImageBuilder: false } }]);
    const none = await appstream().send(new DescribeImagePermissionsCommand({ Name: 'lighting', SharedAwsAccountIds: ['999999999999'] }));
    expect(none.SharedImagePermissionsList).toEqual([]);
  });

  it('answers the error each wrong target gets', async () => {
    await expect(appstream().send(new DescribeImagePermissionsCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      appstream().send(new UpdateImagePermissionsCommand({ Name: 'AppStream-WinServer2022-01-05-2026', SharedAccountId: '111122223333', ImagePermissions: { allowFleet: true } })),
    ).rejects.toBeInstanceOf(ResourceNotAvailableException);
    await expect(appstream().send(new DeleteImagePermissionsCommand({ Name: 'base-2026', SharedAccountId: '111122223333' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('DeleteImage', () => {
  it('returns the image as DELETING, after which it is not found', async () => {
    const { Image } = await appstream().send(new DeleteImageCommand({ Name: 'lighting' }));
    expect(Image).toMatchObject({ Name: 'lighting', State: 'DELETING' });
    await expect(appstream().send(new DescribeImagesCommand({ Names: ['lighting'] }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(appstream().send(new DeleteImageCommand({ Name: 'lighting' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses an image a fleet uses, and a public image', async () => {
    await emulator().setState({ ...fixture, appstream: { ...fixture.appstream, fleets: [{ Name: 'fleet-b', ImageName: 'base-2026' }] } });
    await expect(appstream().send(new DeleteImageCommand({ Name: 'base-2026' }))).rejects.toBeInstanceOf(ResourceInUseException);
    await expect(appstream().send(new DeleteImageCommand({ Name: 'AppStream-WinServer2022-01-05-2026' }))).rejects.toBeInstanceOf(OperationNotPermittedException);
  });
});
