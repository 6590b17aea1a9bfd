/** A stack's fleets and a fleet's stacks: one association, read from either side (paged). */
import type { AppStreamClient } from '@aws-sdk/client-appstream';
import { allPages } from './paging.js';
import { appstreamSdk } from './sdk.js';

const { ListAssociatedFleetsCommand, ListAssociatedStacksCommand } = appstreamSdk();

export function listAssociatedFleets(client: AppStreamClient, stackName: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new ListAssociatedFleetsCommand({ StackName: stackName, NextToken: token }));
    return { items: page.Names, next: page.NextToken };
  });
}

export function listAssociatedStacks(client: AppStreamClient, fleetName: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new ListAssociatedStacksCommand({ FleetName: fleetName, NextToken: token }));
    return { items: page.Names, next: page.NextToken };
  });
}
