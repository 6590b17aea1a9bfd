/**
 * Applications of Elastic fleets: every member of CreateApplication, the app block by name
 * (AppBlock, resolved to its ARN) and the Elastic fleets that offer it (Fleets). Identified by
 * Name; created after its app block and fleets, updated in place (UpdateApplication, fleet
 * associations, tags), replaced when Platforms or InstanceFamilies change, and pruned before its
 * app block.
 */
import type { AppStreamClient, Application } from '@aws-sdk/client-appstream';
import type { Config } from '../../config/types.js';
import type { LiveState } from '../../core/live.js';
import { UserError } from '../../core/errors.js';
import { itself } from '../../core/sets.js';
import { asSet, userTags } from '../../normalize/values.js';
import { accountTags, declaredValue, namingIn, planByName, selectedTags, sortedBy } from '../resource.js';
import type { KindDefinition, Selection } from '../types.js';
import { APPLICATION_ATTRIBUTES, APPLICATION_TABLE, REQUIRED } from './attributes.js';
import { appBlockNameOf, applicationAddress } from './live.js';
import { normalizeApplication, normalizeApplicationAttribute } from './normalize.js';
import { ARN_OF, liveApplicationDigest, liveApplicationNormal, planApplicationDeletion, planDeclaredApplication, type ApplicationPlanEnv } from './plan.js';

/** The reads, with the AppStream client code they need, load when a plan first describes applications. */
const reads = () => import('./describe.js');

function planEnv(config: Config, live: LiveState): ApplicationPlanEnv {
  const reads = live.applicationReads ?? {};
  const found = new Map(Object.entries(reads.fleets ?? {}));
  return {
    appBlocks: reads.appBlocks,
    declaredBlocks: new Set((config.appBlocks ?? []).map((block) => block.Name)),
    declaredFleets: new Map((config.fleets ?? []).map((fleet) => [fleet.Name, { FleetType: fleet.FleetType, Platform: fleet.Platform }])),
    otherFleets: (name) => (reads.lookedUp?.includes(name) ? (found.get(name) ?? null) : undefined),
    entitlementsOf: (name) =>
      Object.entries(live.entitlements ?? {}).flatMap(([stack, entitlements]) =>
        Object.values(entitlements)
          .filter((found) => found.applications?.includes(name))
          .map((found) => ({ StackName: stack, EntitlementName: found.entitlement.Name! })),
      ),
  };
}

/** ARNs found by name at apply time; an ARN is its name's for good, so one found is kept. */
const resolved = new WeakMap<AppStreamClient, Map<string, string>>();

/** The ARN of `address` (appBlock/<name> or application/<name>), which this apply created. */
async function resolveArn(client: AppStreamClient, address: string): Promise<string> {
  const known = resolved.get(client) ?? new Map<string, string>();
  resolved.set(client, known);
  const cached = known.get(address);
  if (cached) return cached;
  const { listAppBlocks, listApplications } = await reads();
  const name = address.slice(address.indexOf('/') + 1);
  const listed: { Name?: string; Arn?: string }[] = address.startsWith('appBlock/') ? await listAppBlocks(client) : await listApplications(client);
  const arn = listed.find((resource) => resource.Name === name)?.Arn;
  if (!arn) throw new UserError(`${address} does not exist, so its ARN cannot be sent; it should have been created earlier in this apply`);
  known.set(address, arn);
  return arn;
}

export const applicationKind: KindDefinition = {
  name: 'application',
  list: 'applications',
  noun: 'application',
  plural: 'applications',
  service: 'appstream',
  identity: ['Name'],
  sets: [
    { path: ['Platforms'], noun: 'platform', key: itself },
    { path: ['InstanceFamilies'], noun: 'instance family', key: itself },
    { path: ['Fleets'], noun: 'fleet', key: itself },
  ],
  attributes: APPLICATION_TABLE,
  emptyLive: () => ({}),
  describe: {
    needed: (config, prune) => Boolean(config.applications?.length) || prune,
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({
      resourceType: 'appstream:application',
      declared: (config) => config.applications,
      live: (live) => live.applications,
      address: applicationAddress,
      arn: (target) => target.application.Arn!,
    }),
    details: async (ctx) => {
      const { readFleets, readNamedFleets } = await reads();
      await Promise.all([readFleets(ctx), readNamedFleets(ctx)]);
    },
  },

  plan(input) {
    const { ctx, config, live } = input;
    const env = planEnv(config, live);
    planByName(input, {
      list: 'applications',
      declared: config.applications,
      live: live.applications,
      address: applicationAddress,
      normal: liveApplicationNormal,
      digest: liveApplicationDigest,
      declare: (application, found, at, normal) => planDeclaredApplication(ctx, application, found, at, env, normal),
      prune: planApplicationDeletion,
      // AWS refuses to delete an application an entitlement grants; a declared entitlement would grant what is gone.
      namedBy: { noun: 'application', users: (name) => namingIn(config.entitlements, 'Applications', name, (entitlement) => `entitlement ${entitlement.StackName}/${entitlement.Name}`) },
    });
  },

  declaredValues: (resource) => {
    const application = resource as Record<string, unknown> & { Fleets?: string[] | null; Tags?: Record<string, string> | null };
    return {
      ...Object.fromEntries(APPLICATION_ATTRIBUTES.map((attribute) => [attribute, declaredValue(application[attribute], (v) => normalizeApplicationAttribute(attribute, v))])),
      AppBlock: application.AppBlock,
      Fleets: declaredValue(application.Fleets, (list) => asSet(list)),
      Tags: declaredValue(application.Tags, userTags),
    };
  },

  importDescribe: async (...args) => (await reads()).importApplications(...args),
  import(live, { declare }) {
    const blocks = new Set(Object.keys(live.applicationReads?.appBlocks ?? {}));
    const applications: Record<string, unknown>[] = [];
    for (const { application, tags, fleets } of sortedBy(Object.values(live.applications), (a) => a.application.Name!)) {
      const declared = declare(applicationAddress(application.Name!), tags, (select) => applicationConfig(application, fleets ?? [], tags ?? {}, blocks, select));
      if (declared) applications.push(declared);
    }
    return applications;
  },

  reads: ['DescribeApplications', 'DescribeApplicationFleetAssociations', 'DescribeAppBlocks', 'DescribeFleets'],
  operations: [
    'CreateApplication',
    'UpdateApplication',
    'DeleteApplication',
    'AssociateApplicationFleet',
    'DisassociateApplicationFleet',
    // A replace lets go of the entitlements that grant it around the delete, and they grant it again.
    'DisassociateApplicationFromEntitlement',
    'AssociateApplicationToEntitlement',
    'TagResource',
    'UntagResource',
    // What apply reads to find the ARN of an app block or application it created.
    'DescribeApplications',
    'DescribeAppBlocks',
  ],
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did.
    doneOnResend: { CreateApplication: 'ResourceAlreadyExistsException', DeleteApplication: 'ResourceNotFoundException' },
  },

  async resolveInput(call, { clients }) {
    const input = { ...call.input };
    for (const [member, value] of Object.entries(call.input)) {
      const address = (value as Record<string, unknown> | null)?.[ARN_OF];
      if (typeof address === 'string') input[member] = await resolveArn(clients.appstream, address);
    }
    return { input, secrets: [] };
  },
};

/**
 * The declaration of a live application: the required members always, the others the selection
 * keeps; the app block by name when it is the account's, unless the last apply declared its ARN.
 */
function applicationConfig(application: Application, fleets: string[], tags: Record<string, string>, blocks: ReadonlySet<string>, select: Selection): Record<string, unknown> {
  const normal = normalizeApplication({ ...application, Tags: tags });
  const declared: Record<string, unknown> = { Name: application.Name };
  for (const attribute of APPLICATION_ATTRIBUTES) {
    if (attribute === 'AppBlockArn') continue;
    const value = normal.attributes[attribute];
    if (REQUIRED.includes(attribute) || select.attribute(attribute, value)) declared[attribute] = value ?? null;
  }
  const block = appBlockNameOf(application.AppBlockArn);
  // Only a record selects an attribute without a value: there, one that lists AppBlockArn.
  const byArn = select.attribute('AppBlockArn', undefined) || !block || !blocks.has(block);
  if (byArn) declared.AppBlockArn = application.AppBlockArn;
  else declared.AppBlock = block;
  const fleetSet = asSet(fleets);
  if (fleetSet && select.list('f')) declared.Fleets = fleetSet;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  return declared;
}
