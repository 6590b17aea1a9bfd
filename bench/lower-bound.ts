import { DescribeImagesCommand, DescribeStacksCommand } from '@aws-sdk/client-appstream';
import { ListStreamingImagesCommand } from '@aws-sdk/client-nimble';
import { GetResourcesCommand } from '@aws-sdk/client-resource-groups-tagging-api';
import type { AwsClients } from '../src/aws/clients.js';
import type { Config } from '../src/config/types.js';

/** The page-size maxima the APIs allow (DescribeStacks and ListStreamingImages have none: the server picks). */
const IMAGES_PER_PAGE = 25;
const TAGGED_RESOURCES_PER_PAGE = 100;

export interface BoundPart {
  what: string;
  calls: number;
}

export interface LowerBound {
  total: number;
  parts: BoundPart[];
}

/**
 * The fewest calls any tool needs to plan `config` against this account: every listing read at the
 * largest page the API and the server allow (its pages counted by reading them), plus the calls that
 * no API can batch. `bulkTags: false` is the path where GetResources is denied: one refused attempt,
 * then one ListTagsForResource per declared stack and image.
 */
export async function measureLowerBound(clients: AwsClients, config: Config, bulkTags: boolean): Promise<LowerBound> {
  const stacks = config.stacks ?? [];
  const images = config.images ?? [];
  const studios = [...new Set((config.streamingImages ?? []).map((image) => image.StudioId))];
  const parts: BoundPart[] = [];
  const add = (what: string, calls: number) => calls > 0 && parts.push({ what, calls });
  // A plan is bound to its account, and only STS tells the account when no listed ARN carries it.
  add('GetCallerIdentity (the account the plan is for)', 1);

  if (stacks.length) add('DescribeStacks pages', await countPages((token) => clients.appstream.send(new DescribeStacksCommand({ NextToken: token }))));
  if (stacks.length || images.length) {
    if (bulkTags) {
      add(
        'GetResources pages (stack and image tags)',
        await countPages(async (token) => {
          const page = await clients.tagging.send(
            new GetResourcesCommand({ ResourceTypeFilters: ['appstream:stack', 'appstream:image'], ResourcesPerPage: TAGGED_RESOURCES_PER_PAGE, PaginationToken: token }),
          );
          return { NextToken: page.PaginationToken };
        }),
      );
    } else {
      add('GetResources attempt (denied)', 1);
      add('ListTagsForResource per declared stack and image', stacks.length + images.length);
    }
  }
  if (images.length) {
    const names = images.map((image) => image.Name);
    const byName = await countPages((token) => clients.appstream.send(new DescribeImagesCommand({ Names: names, MaxResults: IMAGES_PER_PAGE, NextToken: token })));
    const byListing = await countPages((token) => clients.appstream.send(new DescribeImagesCommand({ Type: 'PRIVATE', MaxResults: IMAGES_PER_PAGE, NextToken: token })));
    add(`DescribeImages pages (${byName <= byListing ? 'by name' : 'private listing'})`, Math.min(byName, byListing));
  }
  add('DescribeImagePermissions per image declaring SharedWith', images.filter((image) => image.SharedWith?.length).length);
  let streamingPages = 0;
  for (const studioId of studios) {
    streamingPages += await countPages(async (token) => {
      const page = await clients.nimble.send(new ListStreamingImagesCommand({ studioId, nextToken: token }));
      return { NextToken: page.nextToken };
    });
  }
  add(`ListStreamingImages pages (${studios.length} studios)`, streamingPages);
  return { total: parts.reduce((sum, part) => sum + part.calls, 0), parts };
}

async function countPages(fetchPage: (token: string | undefined) => Promise<{ NextToken?: string }>): Promise<number> {
  let pages = 0;
  let token: string | undefined;
  do {
    token = (await fetchPage(token)).NextToken || undefined;
    pages++;
  } while (token);
  return pages;
}
