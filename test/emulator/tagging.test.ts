import { GetResourcesCommand, InvalidParameterException, paginateGetResources, type GetResourcesCommandInput } from '@aws-sdk/client-resource-groups-tagging-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorState } from '../../src/emulator/index.js';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

const state: EmulatorState = {
  appstream: {
    stacks: [{ Name: 'a', Tags: { team: 'fx', env: 'prod' } }, { Name: 'b', Tags: { team: 'paint' } }, { Name: 'untagged' }],
    images: [{ Name: 'img', Tags: { team: 'fx' } }, { Name: 'plain' }],
  },
  nimble: {
    studios: [
      {
        studioId: 'st',
        streamingImages: [
          { streamingImageId: 'si-1', name: 'maya', ec2ImageId: 'ami-1', tags: { team: 'fx' } },
          { streamingImageId: 'si-2', name: 'gone', ec2ImageId: 'ami-1', state: 'DELETED', tags: { team: 'fx' } },
        ],
      },
    ],
  },
};
const arn = (resource: string) => `arn:aws:appstream:us-east-1:123456789012:${resource}`;
const nimbleArn = 'arn:aws:nimble:us-east-1:123456789012:streaming-image/si-1';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ state }, { maxAttempts: 1 });
});
afterAll(() => t.close());

const arnsOf = async (input: GetResourcesCommandInput) =>
  ((await t.clients.tagging.send(new GetResourcesCommand(input))).ResourceTagMappingList ?? []).map((m) => m.ResourceARN);

describe('GetResources', () => {
  it('returns tagged resources of the requested types as Key/Value lists; untagged and deleted ones are absent', async () => {
    const { ResourceTagMappingList, PaginationToken } = await t.clients.tagging.send(new GetResourcesCommand({ ResourceTypeFilters: ['appstream:stack', 'appstream:image', 'nimble:streaming-image'] }));
    expect(PaginationToken).toBeUndefined();
    expect(ResourceTagMappingList).toEqual([
      { ResourceARN: arn('image/img'), Tags: [{ Key: 'team', Value: 'fx' }] },
      { ResourceARN: arn('stack/a'), Tags: [{ Key: 'team', Value: 'fx' }, { Key: 'env', Value: 'prod' }] },
      { ResourceARN: arn('stack/b'), Tags: [{ Key: 'team', Value: 'paint' }] },
      { ResourceARN: nimbleArn, Tags: [{ Key: 'team', Value: 'fx' }] },
    ]);
  });

  it('filters by service or resource type, by tags (AND across keys, OR across values), and by ARN', async () => {
    expect(await arnsOf({ ResourceTypeFilters: ['appstream:stack'] })).toEqual([arn('stack/a'), arn('stack/b')]);
    expect(await arnsOf({ ResourceTypeFilters: ['nimble'] })).toEqual([nimbleArn]);
    expect(await arnsOf({ TagFilters: [{ Key: 'team', Values: ['fx'] }, { Key: 'env' }] })).toEqual([arn('stack/a')]);
    expect(await arnsOf({ TagFilters: [{ Key: 'team', Values: ['paint', 'fx'] }], ResourceTypeFilters: ['appstream:stack'] })).toEqual([arn('stack/a'), arn('stack/b')]);
    expect(await arnsOf({ ResourceARNList: [arn('stack/b'), arn('stack/untagged')] })).toEqual([arn('stack/b')]);
  });

  it('pages by ResourcesPerPage with a PaginationToken that is absent on the last page', async () => {
    const pages: string[][] = [];
    for await (const page of paginateGetResources({ client: t.clients.tagging }, { ResourcesPerPage: 3 })) {
      pages.push(page.ResourceTagMappingList!.map((m) => m.ResourceARN!));
    }
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
    const first = await t.clients.tagging.send(new GetResourcesCommand({ ResourcesPerPage: 3 }));
    const last = await t.clients.tagging.send(new GetResourcesCommand({ ResourcesPerPage: 3, PaginationToken: first.PaginationToken }));
    expect(first.PaginationToken).toBeTruthy();
    expect(last.PaginationToken).toBeUndefined();
  });

  it('answers InvalidParameterException for ARNs combined with filters, and for constraint violations', async () => {
    await expect(t.clients.tagging.send(new GetResourcesCommand({ ResourceARNList: [arn('stack/a')], ResourceTypeFilters: ['appstream'] }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const error = await t.clients.tagging.send(new GetResourcesCommand({ ResourcesPerPage: 101 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain("at 'resourcesPerPage'");
  });

  it('answers AccessDeniedException when tagging is denied, and logs the call', async () => {
    const denied = await startTestEmulator({ state, denyTagging: true }, { maxAttempts: 1 });
    try {
      const error = await denied.clients.tagging.send(new GetResourcesCommand({})).catch((e: unknown) => e);
      expect((error as Error).name).toBe('AccessDeniedException');
      expect((error as Error).message).toContain('tag:GetResources');
      expect(await denied.calls()).toEqual([{ service: 'tagging', operation: 'GetResources', status: 400, error: 'AccessDeniedException' }]);
    } finally {
      await denied.close();
    }
  });

  it('never splits a resource from its tags when TagsPerPage cuts a page short', async () => {
    const tags = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
    const stacks = [{ Name: 'a', Tags: tags(50, 'a') }, { Name: 'b', Tags: tags(45, 'b') }, { Name: 'c', Tags: tags(10, 'c') }];
    const heavy = await startTestEmulator({ state: { appstream: { stacks } } });
    try {
      const pages: number[][] = [];
      for await (const page of paginateGetResources({ client: heavy.clients.tagging }, { TagsPerPage: 100 })) {
        pages.push(page.ResourceTagMappingList!.map((m) => m.Tags!.length));
      }
      expect(pages).toEqual([[50, 45], [10]]);
    } finally {
      await heavy.close();
    }
  });

  it('honours the emulator page size', async () => {
    const paged = await startTestEmulator({ state, pageSize: 2 });
    try {
      const pages = [];
      for await (const page of paginateGetResources({ client: paged.clients.tagging }, {})) pages.push(page.ResourceTagMappingList!.length);
      expect(pages).toEqual([2, 2]);
    } finally {
      await paged.close();
    }
  });
});
