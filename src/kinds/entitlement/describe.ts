/**
 * Entitlement reads: DescribeEntitlements once per stack whose entitlements the plan manages, and
 * ListEntitledApplications once per entitlement it keeps in line or deletes, both paged. Nothing is
 * read per entitlement that the plan leaves alone.
 */
import { DescribeEntitlementsCommand, DescribeStacksCommand, ListEntitledApplicationsCommand, type AppStreamClient, type Entitlement } from '@aws-sdk/client-appstream';
import { allPages } from '../../aws/paging.js';
import type { Config } from '../../config/types.js';
import { readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { entitlementAddress, stackEntitlementsAddress, type LiveEntitlement } from './live.js';

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
 * The stacks whose entitlements the plan needs: the declared stacks that declared entitlements name
 * (an entitlement on any other stack is refused unread), and with prune every declared stack, whose
 * undeclared entitlements go.
 */
function stacksToRead(config: Config, prune: boolean): string[] {
  const declared = new Set((config.stacks ?? []).map((stack) => stack.Name));
  const named = prune ? declared : new Set((config.entitlements ?? []).map((e) => e.StackName).filter((name) => declared.has(name)));
  return [...named].sort();
}

export async function listInto({ config, clients, live, prune, fail }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  let listed = 0;
  const declared = config.entitlements ?? [];
  await readEach(
    stacksToRead(config, prune),
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
