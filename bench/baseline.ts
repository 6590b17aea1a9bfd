import {
  DescribeFleetsCommand,
  DescribeImagePermissionsCommand,
  DescribeImagesCommand,
  DescribeStacksCommand,
  ListAssociatedStacksCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-appstream';
import { GetStreamingImageCommand } from '@aws-sdk/client-nimble';
import type { AwsClients } from '../src/aws/clients.js';
import type { Inventory } from './account.js';
import { allPages, mapPool } from '../src/aws/paging.js';

/** Terraform's default `-parallelism`. */
export const BASELINE_CONCURRENCY = 10;

type Refresh = () => Promise<void>;

/**
 * The per-resource refresh of Terraform's AppStream and Nimble resources, with the same SDK clients:
 * each resource reads itself with its own calls, one after the other, at most 10 resources in flight.
 * A fleet-stack association reads its fleet's stacks (ListAssociatedStacks) until it finds its own.
 */
export async function refreshPerResource(clients: AwsClients, inventory: Inventory, concurrency = BASELINE_CONCURRENCY): Promise<void> {
  const { appstream, nimble } = clients;
  const refreshes: Refresh[] = [
    ...inventory.stacks.map((name) => async () => {
      const { Stacks } = await appstream.send(new DescribeStacksCommand({ Names: [name] }));
      await appstream.send(new ListTagsForResourceCommand({ ResourceArn: single(Stacks, name).Arn }));
    }),
    ...inventory.fleets.map((name) => async () => {
      const { Fleets } = await appstream.send(new DescribeFleetsCommand({ Names: [name] }));
      await appstream.send(new ListTagsForResourceCommand({ ResourceArn: single(Fleets, name).Arn }));
    }),
    ...inventory.associations.map(({ fleet, stack }) => async () => {
      const stacks = await allPages(async (token) => {
        const page = await appstream.send(new ListAssociatedStacksCommand({ FleetName: fleet, NextToken: token }));
        return { items: page.Names, next: page.Names?.includes(stack) ? undefined : page.NextToken };
      });
      if (!stacks.includes(stack)) throw new Error(`per-resource read of ${fleet}/${stack}: the fleet is not associated with the stack`);
    }),
    ...inventory.images.map((name) => async () => {
      const { Images } = await appstream.send(new DescribeImagesCommand({ Names: [name] }));
      single(Images, name);
      await appstream.send(new DescribeImagePermissionsCommand({ Name: name }));
    }),
    ...inventory.streamingImages.map(({ studioId, streamingImageId }) => async () => {
      await nimble.send(new GetStreamingImageCommand({ studioId, streamingImageId }));
    }),
  ];
  await mapPool(refreshes, (refresh) => refresh(), concurrency);
}

/** Like the provider, a read must find exactly the resource it asked for. */
function single<T>(found: T[] | undefined, name: string): T {
  if (found?.length !== 1) throw new Error(`per-resource read of ${name} returned ${found?.length ?? 0} results`);
  return found[0];
}
