/**
 * User reads: the whole pool once (DescribeUsers has no name filter), and the assignments of every
 * stack the config names (declared stacks and the stacks declared users name), by stack, 500 a page.
 * The pool is asked for in the largest pages the service gives.
 */
import type { AppStreamClient, User, UserStackAssociation } from '@aws-sdk/client-appstream';
import { allPages, mapPool } from '../../aws/paging.js';
import type { Config } from '../../config/types.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { assignmentsAddress, USERPOOL, userAddress } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeStacksCommand, DescribeUsersCommand, DescribeUserStackAssociationsCommand } = appstreamSdk();

/** The largest page DescribeUserStackAssociations serves (MaxResults ≤ 500). */
const PAGE = 500;
/**
 * DescribeUsers' MaxResults has no maximum in the service model (a plain Integer): the largest one
 * asks for the largest page the service gives, so that a pool takes the fewest calls.
 */
const USERS_PAGE = 2 ** 31 - 1;

export function listUsers(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<User[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeUsersCommand({ AuthenticationType: USERPOOL, MaxResults: USERS_PAGE, NextToken: token }));
    onProgress?.((listed += page.Users?.length ?? 0));
    return { items: page.Users, next: page.NextToken };
  });
}

export function listStackAssignments(client: AppStreamClient, stackName: string): Promise<UserStackAssociation[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeUserStackAssociationsCommand({ StackName: stackName, MaxResults: PAGE, NextToken: token }));
    return { items: page.UserStackAssociations, next: page.NextToken };
  });
}

/** The stacks whose assignments a plan needs: those the config declares and those its users name. */
export function namedStacks(config: Config): string[] {
  const names = new Set((config.stacks ?? []).map((stack) => stack.Name));
  for (const user of config.users ?? []) for (const entry of user.Stacks ?? []) names.add(typeof entry === 'string' ? entry : entry.Name);
  return [...names].sort();
}

/** Without a declared user nothing of the pool is managed, and nothing is read. */
export async function listInto({ config, clients, live, fail }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  if (!config.users?.length) return;
  // An unknown stack lists no assignments (the call declares no not-found error), so all are read at once.
  const users = listUsers(clients.appstream, onProgress).then(
    (list) => {
      for (const user of list) if (user.UserName) live.users.users[user.UserName] = user;
      live.users.listed = true;
    },
    (error: unknown) => {
      for (const user of config.users ?? []) fail(userAddress(user.AuthenticationType, user.UserName), 'DescribeUsers', error);
      fail(assignmentsAddress(USERPOOL), 'DescribeUsers', error);
    },
  );
  const stacks = mapPool(namedStacks(config), async (name) => {
    try {
      live.users.stacks[name] = await listStackAssignments(clients.appstream, name);
    } catch (error) {
      fail(assignmentsAddress(USERPOOL), 'DescribeUserStackAssociations', error);
    }
  });
  await Promise.all([users, stacks]);
}

/** Import reads the pool and the assignments of every stack of the account. */
export const importUsers: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  try {
    for (const user of await listUsers(clients.appstream)) if (user.UserName?.startsWith(namePrefix ?? '')) live.users.users[user.UserName] = user;
    live.users.listed = true;
    const stacks = await allPages(async (token) => {
      const page = await clients.appstream.send(new DescribeStacksCommand({ NextToken: token }));
      return { items: page.Stacks, next: page.NextToken };
    });
    await mapPool(stacks, async ({ Name }) => {
      live.users.stacks[Name!] = await listStackAssignments(clients.appstream, Name!);
    });
  } catch (error) {
    fail(assignmentsAddress(USERPOOL), error);
  }
};
