/**
 * Entitlement reads: DescribeEntitlements once per stack whose entitlements the plan manages, and
 * ListEntitledApplications once per entitlement it keeps in line or deletes, both paged. Nothing is
 * read per entitlement that the plan leaves alone.
 */
import type { AppStreamClient, Entitlement } from '@aws-sdk/client-appstream';
import type { AwsClients } from '../../aws/clients.js';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { isAccessDenied, readOwnedTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { entitlementAddress, stackEntitlementsAddress, type LiveEntitlement } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeEntitlementsCommand, DescribeStacksCommand, ListEntitledApplicationsCommand } = appstreamSdk();

/** A stack that does not exist (yet) has no entitlements: DescribeEntitlements answers ResourceNotFoundException. */
const stackMissing = (error: unknown) => (error as Error)?.name === 'ResourceNotFoundException';

export function listEntitlements(client: AppStreamClient, stackName: string): Promise<Entitlement[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeEntitlementsCommand({ StackName: stackName, NextToken: token }));
    return { items: page.Entitlements, next: page.NextToken };
  }).catch((error: unknown) => {
    if (stackMissing(error)) return [];
    throw error;
  });
}

export function listEntitledApplications(client: AppStreamClient, stackName: string, name: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new ListEntitledApplicationsCommand({ StackName: stackName, EntitlementName: name, NextToken: token }));
    return { items: page.EntitledApplications?.map((a) => a.ApplicationIdentifier!), next: page.NextToken };
  });
}

/**
 * The stacks this project owns, by their owner tag, in pages of 100: one call where reading the
 * stacks' own tags would wait for the stack listing. It only chooses what to read (the plan goes by
 * the tags the stacks were read with), so its eventual consistency costs at most a read. A caller
 * that may not use the tagging API reads the declared stacks alone.
 */
async function ownedStacks(clients: AwsClients, project: string): Promise<string[]> {
  try {
    const owned = await readOwnedTags(clients.tagging, ['appstream:stack'], project);
    return [...owned.keys()].map((arn) => arn.slice(arn.indexOf(':stack/') + ':stack/'.length));
  } catch (error) {
    if (isAccessDenied(error)) return [];
    throw new UserError(`cannot find the stacks this project owns (GetResources): ${awsErrorMessage(error)}`);
  }
}

/**
 * The stacks whose entitlements the plan needs: the declared stacks that declared entitlements name
 * (an entitlement on any other stack is refused unread); with prune every declared stack, whose
 * undeclared entitlements go, and every stack this project owns, which prune may delete after them.
 */
async function stacksToRead({ config, clients, prune }: DescribeContext): Promise<string[]> {
  const declared = new Set((config.stacks ?? []).map((stack) => stack.Name));
  if (!prune) return [...new Set((config.entitlements ?? []).map((e) => e.StackName).filter((name) => declared.has(name)))].sort();
  return [...new Set([...declared, ...(await ownedStacks(clients, config.project))])].sort();
}

export async function listInto(ctx: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  const { config, clients, live, fail } = ctx;
  let listed = 0;
  const declared = config.entitlements ?? [];
  await readEach(
    await stacksToRead(ctx),
    async (stack) => {
      const found = await listEntitlements(clients.appstream, stack);
      live.entitlements[stack] = Object.fromEntries(found.map((entitlement) => [entitlement.Name!, { entitlement }]));
      onProgress((listed += found.length));
    },
    (stack, error) => {
      const addresses = declared.filter((e) => e.StackName === stack).map((e) => entitlementAddress(stack, e.Name));
      for (const address of addresses.length ? addresses : [stackEntitlementsAddress(stack)]) fail(address, 'DescribeEntitlements', error);
    },
  );
}

/** The applications of the entitlements read that the plan keeps in line (declared) or deletes (prune). */
export async function readApplications({ config, clients, live, prune, fail }: DescribeContext): Promise<void> {
  const declared = new Set((config.entitlements ?? []).map((e) => entitlementAddress(e.StackName, e.Name)));
  const needed = Object.entries(live.entitlements).flatMap(([stack, byName]) =>
    Object.entries(byName)
      .filter(([name, found]) => found.applications === undefined && (prune || declared.has(entitlementAddress(stack, name))))
      .map(([name, found]): [string, string, LiveEntitlement] => [stack, name, found]),
  );
  await readEach(
    needed,
    async ([stack, name, found]) => void (found.applications = await listEntitledApplications(clients.appstream, stack, name)),
    ([stack, name], error) => fail(entitlementAddress(stack, name), 'ListEntitledApplications', error),
  );
}

/** Import reads every stack's entitlements and their applications. */
export const importEntitlements: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const stacks = await allPages(async (token) => {
    const page = await clients.appstream.send(new DescribeStacksCommand({ NextToken: token }));
    return { items: page.Stacks, next: page.NextToken };
  });
  await readEach(
    stacks.map((stack) => stack.Name!).filter((name) => name.startsWith(namePrefix ?? '')),
    async (stack) => {
      const found = await listEntitlements(clients.appstream, stack);
      const byName: Record<string, LiveEntitlement> = {};
      await readEach(
        found,
        async (entitlement) => void (byName[entitlement.Name!] = { entitlement, applications: await listEntitledApplications(clients.appstream, stack, entitlement.Name!) }),
        (entitlement, error) => fail(entitlementAddress(stack, entitlement.Name!), error),
      );
      live.entitlements[stack] = byName;
    },
    (stack, error) => fail(stackEntitlementsAddress(stack), error),
  );
};
