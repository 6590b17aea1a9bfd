/**
 * Fleet reads: every fleet of the account (DescribeFleets without Names, paged: one call per page,
 * none per fleet), their tags (shared reader), the stacks of the fleets a plan deletes or replaces,
 * and the images LatestImage picks from.
 */
import type { AppStreamClient, Fleet, Image } from '@aws-sdk/client-appstream';
import { listAssociatedStacks } from '../../aws/associations.js';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { ownerOf } from '../../core/ownership.js';
import { mine, readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { DEFAULT_FLEET_TYPE } from './attributes.js';
import { fleetAddress } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeFleetsCommand, DescribeImagesCommand } = appstreamSdk();

/** DescribeImages answers at most 25 images a page. */
const IMAGES_PER_PAGE = 25;

export function listFleets(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<Fleet[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeFleetsCommand({ NextToken: token }));
    onProgress?.((listed += page.Fleets?.length ?? 0));
    return { items: page.Fleets, next: page.NextToken };
  });
}

/** The account's own images: LatestImage chooses among them. */
function listPrivateImages(client: AppStreamClient): Promise<Image[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeImagesCommand({ Type: 'PRIVATE', MaxResults: IMAGES_PER_PAGE, NextToken: token }));
    return { items: page.Images, next: page.NextToken };
  });
}

export async function listInto({ config, clients, live, fail }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  const prefixes = (config.fleets ?? []).flatMap((fleet) => (fleet.LatestImage ? [fleet.LatestImage.NamePrefix] : []));
  const images = prefixes.length
    ? listPrivateImages(clients.appstream).catch((error: unknown) => {
        for (const fleet of config.fleets ?? []) if (fleet.LatestImage) fail(fleetAddress(fleet.Name), 'DescribeImages', error);
        return [];
      })
    : Promise.resolve(undefined);
  // Without the account's fleets, ownership, prune and the stacks' fleet names cannot be checked: the plan ends.
  const fleets = await listFleets(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's fleets (DescribeFleets): ${awsErrorMessage(error)}`);
  });
  for (const fleet of fleets) live.fleets[fleet.Name!] = { fleet };
  const listedImages = await images;
  live.fleetReads = {
    listed: true,
    ...(listedImages ? { images: listedImages.filter((image) => image.State === 'AVAILABLE' && prefixes.some((prefix) => image.Name?.startsWith(prefix))) } : {}),
  };
}

/**
 * The stacks of the fleets the plan may delete (prune) or replace (a new FleetType): both
 * disassociate them first. Fleets another project owns are left alone, unread.
 */
export async function readStacks({ config, clients, live, prune, fail }: DescribeContext): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const declared = new Map((config.fleets ?? []).map((fleet) => [fleet.Name, fleet]));
  const needed = Object.entries(live.fleets).filter(([name, { fleet, tags, stacks }]) => {
    if (stacks !== undefined || failed.has(fleetAddress(name)) || !mine(config.project, tags)) return false;
    const declaration = declared.get(name);
    if (!declaration) return prune && ownerOf(tags) === config.project;
    return declaration.FleetType !== undefined && declaration.FleetType !== (fleet.FleetType ?? DEFAULT_FLEET_TYPE);
  });
  await readEach(
    needed,
    async ([name, target]) => void (target.stacks = await listAssociatedStacks(clients.appstream, name)),
    ([name], error) => fail(fleetAddress(name), 'ListAssociatedStacks', error),
  );
}

/** Import reads every fleet with its tags. */
export const importFleets: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const fleets = (await listFleets(clients.appstream)).filter((fleet) => fleet.Name?.startsWith(namePrefix ?? ''));
  await readEach(
    fleets,
    async (fleet) => void (live.fleets[fleet.Name!] = { fleet, tags: await readTags(clients.appstream, fleet.Arn!), tagSource: 'resource' }),
    (fleet, error) => fail(fleetAddress(fleet.Name!), error),
  );
};
