/** Stack reads: every stack of the account, their tags (shared reader), fleet associations and themes. */
import type { AppStreamClient, Stack, Theme } from '@aws-sdk/client-appstream';
import { listAssociatedFleets, listAssociatedStacks } from '../../aws/associations.js';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages, mapPool } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { ownerOf, ownRecord } from '../../core/ownership.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { mine } from '../resource.js';
import { stackAddress, type LiveStack } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeStacksCommand, DescribeThemeForStackCommand } = appstreamSdk();

/**
 * Every stack in the account: DescribeStacks without Names (with Names, one unknown name fails the
 * call). `onProgress` hears how many have been listed after each page.
 */
export function listStacks(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<Stack[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeStacksCommand({ NextToken: token }));
    onProgress?.((listed += page.Stacks?.length ?? 0));
    return { items: page.Stacks, next: page.NextToken };
  });
}

export async function listInto({ clients, live }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  // Without the account's stacks nothing can be planned safely (prune, ownership): the plan ends.
  const stacks = await listStacks(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's stacks (DescribeStacks): ${awsErrorMessage(error)}`);
  });
  for (const stack of stacks) live.stacks[stack.Name!] = { stack };
}

/**
 * Fleet associations not read yet of declared stacks that declare Fleets (or had them recorded) and
 * of stacks to be pruned. Stacks another project owns are left alone, unread.
 */
export async function readFleets({ config, clients, live, prune, fail, listingOf }: DescribeContext): Promise<void> {
  // Which side costs fewer calls is known once the fleets (when this plan reads them) are listed.
  await listingOf('fleets');
  const failed = new Set(live.errors.map((e) => e.address));
  const declaredStacks = new Map((config.stacks ?? []).map((stack) => [stack.Name, stack]));
  const needed = Object.entries(live.stacks).filter(([name, { tags, fleets }]) => {
    if (fleets !== undefined || failed.has(stackAddress(name)) || !mine(config.project, tags)) return false;
    const declared = declaredStacks.get(name);
    if (!declared) return prune && ownerOf(tags) === config.project;
    return declared.Fleets !== undefined || Boolean(ownRecord(config.project, tags)?.f?.length);
  });
  // Associations read from the side with fewer calls: when the account's fleets were listed (the fleets'
  // own reads did it) and are fewer than the stacks to read, one ListAssociatedStacks per fleet tells
  // every stack's fleets, those of fleets streamform does not manage included.
  const fleets = live.fleetReads?.listed ? Object.keys(live.fleets) : undefined;
  if (fleets !== undefined && fleets.length < needed.length) {
    await readFleetsByFleet(clients.appstream, fleets, needed, fail);
    return;
  }
  await mapPool(needed, async ([name, stack]) => {
    try {
      stack.fleets = await listAssociatedFleets(clients.appstream, name);
    } catch (error) {
      fail(stackAddress(name), 'ListAssociatedFleets', error);
    }
  });
}

async function readFleetsByFleet(client: AppStreamClient, fleets: string[], needed: [string, LiveStack][], fail: DescribeContext['fail']): Promise<void> {
  const byStack = new Map<string, string[]>(needed.map(([name]) => [name, []]));
  try {
    const stacksOf = await mapPool(fleets, (fleet) => listAssociatedStacks(client, fleet));
    fleets.forEach((fleet, i) => {
      for (const stack of stacksOf[i]) byStack.get(stack)?.push(fleet);
    });
  } catch (error) {
    // One fleet unread leaves every stack's list unknown.
    for (const [name] of needed) fail(stackAddress(name), 'ListAssociatedStacks', error);
    return;
  }
  for (const [name, stack] of needed) stack.fleets = byStack.get(name)!.sort();
}

/** A stack's theme; null when it has none (AWS answers ResourceNotFoundException, or no Theme). */
export async function describeTheme(client: AppStreamClient, stackName: string): Promise<Theme | null> {
  try {
    return (await client.send(new DescribeThemeForStackCommand({ StackName: stackName }))).Theme ?? null;
  } catch (error) {
    if (['ResourceNotFoundException', 'ThemeNotFound'].includes((error as Error).name)) return null;
    throw error;
  }
}

/** Themes not read yet of the existing stacks whose declaration names Theme (null included) and that are not another project's. */
export async function readThemes({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const needed = (config.stacks ?? []).filter(({ Name, Theme }) => {
    const found = live.stacks[Name];
    return Theme !== undefined && found && found.theme === undefined && !failed.has(stackAddress(Name)) && mine(config.project, found.tags);
  });
  await mapPool(needed, async ({ Name }) => {
    try {
      live.stacks[Name].theme = await describeTheme(clients.appstream, Name);
    } catch (error) {
      fail(stackAddress(Name), 'DescribeThemeForStack', error);
    }
  });
}

/** Import reads every stack with its tags and fleets, and the theme of each stack a streamform project owns. */
export const importStacks: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const stacks = (await listStacks(clients.appstream)).filter((stack) => stack.Name?.startsWith(namePrefix ?? ''));
  await mapPool(stacks, async (stack) => {
    try {
      const [tags, fleets] = await Promise.all([readTags(clients.appstream, stack.Arn!), listAssociatedFleets(clients.appstream, stack.Name!)]);
      const theme = ownerOf(tags) === undefined ? undefined : await describeTheme(clients.appstream, stack.Name!);
      live.stacks[stack.Name!] = { stack, tags, tagSource: 'resource', fleets, ...(theme !== undefined ? { theme } : {}) };
    } catch (error) {
      fail(stackAddress(stack.Name!), error);
    }
  });
};
