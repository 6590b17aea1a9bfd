/**
 * Application reads: every application of the account (DescribeApplications without Arns, paged:
 * one call per page, none per application), their tags (shared reader), the account's app blocks
 * when a declaration names one by name, and the fleet associations of the applications the plan
 * may change or delete.
 *
 * Fleets named in Fleets that the config does not declare are looked up by name (DescribeFleets
 * with Names, 25 a call), so that one that does not exist or is not Elastic is an error before any
 * call, as a declared one is.
 *
 * Associations are read per application (DescribeApplicationFleetAssociations by ApplicationArn),
 * not per fleet: a declared Fleets list is the whole set, so the plan must see an association made
 * by hand to any fleet, and reading per fleet would take every Elastic fleet of the account (a
 * DescribeFleets listing, then one call per fleet) to see them all; that is fewer calls only in an
 * account with fewer Elastic fleets than the config has applications.
 */
import type { AppBlock, AppStreamClient, Application } from '@aws-sdk/client-appstream';
import { awsErrorMessage } from '../../aws/errors.js';
import { allPages } from '../../aws/paging.js';
import { readTags } from '../../aws/tags.js';
import { UserError } from '../../core/errors.js';
import { ownerOf } from '../../core/ownership.js';
import { lookUpByName, mine, readEach } from '../resource.js';
import type { DescribeContext, KindDefinition } from '../types.js';
import { applicationAddress } from './live.js';
import { appstreamSdk } from '../../aws/sdk.js';

const { DescribeAppBlocksCommand, DescribeFleetsCommand, DescribeApplicationFleetAssociationsCommand, DescribeApplicationsCommand } = appstreamSdk();

/** DescribeApplicationFleetAssociations answers at most 25 associations a page, DescribeFleets 25 fleets. */
const PAGE = 25;

export function listApplications(client: AppStreamClient, onProgress?: (listed: number) => void): Promise<Application[]> {
  let listed = 0;
  return allPages(async (token) => {
    const page = await client.send(new DescribeApplicationsCommand({ NextToken: token }));
    onProgress?.((listed += page.Applications?.length ?? 0));
    return { items: page.Applications, next: page.NextToken };
  });
}

export function listAppBlocks(client: AppStreamClient): Promise<AppBlock[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeAppBlocksCommand({ NextToken: token }));
    return { items: page.AppBlocks, next: page.NextToken };
  });
}

const byName = (blocks: AppBlock[]) => Object.fromEntries(blocks.map((block) => [block.Name!, block.Arn!]));

export function listFleetsOf(client: AppStreamClient, applicationArn: string): Promise<string[]> {
  return allPages(async (token) => {
    const page = await client.send(new DescribeApplicationFleetAssociationsCommand({ ApplicationArn: applicationArn, MaxResults: PAGE, NextToken: token }));
    return { items: page.ApplicationFleetAssociations?.map((association) => association.FleetName!), next: page.NextToken };
  });
}

export async function listInto({ config, clients, live, fail }: DescribeContext, onProgress: (listed: number) => void): Promise<void> {
  const byBlockName = (config.applications ?? []).filter((application) => application.AppBlock !== undefined);
  const blocks = byBlockName.length
    ? listAppBlocks(clients.appstream).then(byName, (error: unknown) => {
        for (const application of byBlockName) fail(applicationAddress(application.Name), 'DescribeAppBlocks', error);
        return undefined;
      })
    : Promise.resolve(undefined);
  // Without the account's applications, neither ownership nor prune can be told: the plan ends.
  const applications = await listApplications(clients.appstream, onProgress).catch((error: unknown) => {
    throw new UserError(`cannot list the account's applications (DescribeApplications): ${awsErrorMessage(error)}`);
  });
  for (const application of applications) live.applications[application.Name!] = { application };
  const appBlocks = await blocks;
  live.applicationReads = appBlocks ? { appBlocks } : {};
}

/** The fleets the declared applications name and the config does not declare: what they are, if they exist. */
export async function readNamedFleets({ config, clients, live, fail }: DescribeContext): Promise<void> {
  const declared = new Set((config.fleets ?? []).map((fleet) => fleet.Name));
  const names = [...new Set((config.applications ?? []).flatMap((application) => application.Fleets ?? []))].filter((name) => !declared.has(name));
  if (!names.length || live.applicationReads?.lookedUp) return;
  const fleets = await lookUpByName(names, {
    batch: PAGE,
    read: (batch) =>
      allPages(async (token) => {
        const page = await clients.appstream.send(new DescribeFleetsCommand({ Names: batch, NextToken: token }));
        return { items: page.Fleets, next: page.NextToken };
      }),
    missing: (error) => (error as Error).name === 'ResourceNotFoundException',
    failed: (name, error) => {
      for (const application of config.applications ?? []) if (application.Fleets?.includes(name)) fail(applicationAddress(application.Name), 'DescribeFleets', error);
    },
  });
  live.applicationReads = {
    ...live.applicationReads,
    fleets: Object.fromEntries(fleets.map((fleet) => [fleet.Name!, { FleetType: fleet.FleetType, Platform: fleet.Platform }])),
    lookedUp: names,
  };
}

/**
 * The fleet associations of the declared applications that exist and of those prune deletes.
 * Applications another project owns are left alone, unread.
 */
export async function readFleets({ config, clients, live, prune, fail }: DescribeContext): Promise<void> {
  const failed = new Set(live.errors.map((e) => e.address));
  const declared = new Set((config.applications ?? []).map((application) => application.Name));
  const needed = Object.entries(live.applications).filter(([name, { tags, fleets }]) => {
    if (fleets !== undefined || failed.has(applicationAddress(name)) || !mine(config.project, tags)) return false;
    return declared.has(name) || (prune && ownerOf(tags) === config.project);
  });
  await readEach(
    needed,
    async ([, target]) => void (target.fleets = await listFleetsOf(clients.appstream, target.application.Arn!)),
    ([name], error) => fail(applicationAddress(name), 'DescribeApplicationFleetAssociations', error),
  );
}

/** Import reads every application with its tags and fleets, and the account's app blocks (to name them). */
export const importApplications: NonNullable<KindDefinition['importDescribe']> = async (clients, live, { namePrefix }, fail) => {
  const [applications, blocks] = await Promise.all([listApplications(clients.appstream), listAppBlocks(clients.appstream)]);
  live.applicationReads = { appBlocks: byName(blocks) };
  await readEach(
    applications.filter((application) => application.Name?.startsWith(namePrefix ?? '')),
    async (application) => {
      const [tags, fleets] = await Promise.all([readTags(clients.appstream, application.Arn!), listFleetsOf(clients.appstream, application.Arn!)]);
      live.applications[application.Name!] = { application, tags, tagSource: 'resource', fleets };
    },
    (application, error) => fail(applicationAddress(application.Name!), error),
  );
};
