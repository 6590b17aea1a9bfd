/**
 * Stacks: every member of CreateStack, plus fleet associations, tags and the theme. Identified by
 * Name; created, updated in place (UpdateStack, fleet associations, the theme's calls, tags) and pruned.
 */
import type { StackConfig } from '../../config/types.js';
import { asSet, sameValue, userTags } from '../../normalize/values.js';
import { field, itself } from '../../core/sets.js';
import { accountTags, declaredValue, errorNotes, planByName, selectedTags, sortedBy } from '../resource.js';
import type { AttributeTable, KindDefinition, Selection } from '../types.js';
import { stackAddress } from './live.js';
import { defaultUserSetting, normalizeStackAttribute, normalizeUserSetting, STACK_ATTRIBUTES, type NormalUserSetting, type StackAttribute } from './normalize.js';
import { CLEAR, liveStackDigest, liveStackNormal, missingFleets, planDeclaredStack, planStackDeletion } from './plan.js';
import { hasPlaceholder, importedTheme, normalTheme, PLACEHOLDER } from './theme.js';
import { ownRecord, type AppliedRecord } from '../../core/ownership.js';
import type { LiveStack } from './live.js';

/** The reads, with the AppStream client code they need, load when a plan first describes stacks. */
const reads = () => import('./describe.js');

const ATTRIBUTES: AttributeTable = {
  ...Object.fromEntries(STACK_ATTRIBUTES.map((attribute) => [attribute, { compare: 'scalar', clear: CLEAR[attribute], impact: 'update' }])),
  StorageConnectors: { compare: { set: 'ConnectorType' }, clear: CLEAR.StorageConnectors, impact: 'update' },
  AccessEndpoints: { compare: { set: 'EndpointType' }, clear: CLEAR.AccessEndpoints, impact: 'update' },
  EmbedHostDomains: { compare: { set: 'itself' }, clear: CLEAR.EmbedHostDomains, impact: 'update' },
  UserSettings: { compare: { set: 'Action' }, clear: { attribute: 'USER_SETTINGS' }, impact: 'update' },
  Fleets: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
  Tags: { compare: { set: 'itself' }, clear: 'none', impact: 'update' },
  // Deleted by its own call (Theme: null); no longer declared, it is let go.
  Theme: { compare: 'scalar', clear: 'none', impact: 'update' },
};

/** Attribute values that mean the same as leaving the attribute out. */
const DEFAULTS: Partial<Record<StackAttribute, unknown>> = { ApplicationSettings: normalizeStackAttribute('ApplicationSettings', undefined) };

export const stackKind: KindDefinition = {
  name: 'stack',
  list: 'stacks',
  noun: 'stack',
  plural: 'stacks',
  service: 'appstream',
  identity: ['Name'],
  sets: [
    { path: ['StorageConnectors'], noun: 'connector type', key: field('ConnectorType') },
    { path: ['StorageConnectors', '*', 'Domains'], noun: 'domain', key: itself },
    { path: ['StorageConnectors', '*', 'DomainsRequireAdminConsent'], noun: 'domain', key: itself },
    { path: ['UserSettings'], noun: 'action', key: field('Action') },
    { path: ['AccessEndpoints'], noun: 'access endpoint (EndpointType/VpceId)', key: field('EndpointType', 'VpceId') },
    { path: ['EmbedHostDomains'], noun: 'domain', key: itself },
    { path: ['ContentRedirection', 'HostToClient', 'AllowedUrls'], noun: 'URL pattern', key: itself },
    { path: ['ContentRedirection', 'HostToClient', 'DeniedUrls'], noun: 'URL pattern', key: itself },
    { path: ['AgentAccessConfig', 'Settings'], noun: 'agent action', key: field('AgentAction') },
    { path: ['Fleets'], noun: 'fleet', key: itself },
  ],
  attributes: ATTRIBUTES,
  emptyLive: () => ({}),
  describe: {
    list: async (ctx, onProgress) => (await reads()).listInto(ctx, onProgress),
    tags: accountTags({ resourceType: 'appstream:stack', declared: (config) => config.stacks, live: (live) => live.stacks, address: stackAddress, arn: (target) => target.stack.Arn! }),
    details: async (ctx) => {
      const { readFleets, readThemes } = await reads();
      await Promise.all([readFleets(ctx), readThemes(ctx)]);
    },
  },

  plan(input) {
    const { ctx, config, live } = input;
    // The fleets a stack may name: those that exist (once listed) and those the config declares.
    const fleets = live.fleetReads?.listed ? new Set([...Object.keys(live.fleets), ...(config.fleets ?? []).map((fleet) => fleet.Name)]) : undefined;
    planByName(input, {
      list: 'stacks',
      declared: config.stacks,
      live: live.stacks,
      address: stackAddress,
      normal: liveStackNormal,
      digest: liveStackDigest,
      declare: (stack, found, at, normal) => missingFleets(stack, fleets, at) ?? planDeclaredStack(ctx, stack, found, at, normal),
      prune: planStackDeletion,
    });
  },

  declaredValues: (resource) => {
    const stack = resource as Record<string, unknown> & Pick<StackConfig, 'Theme'> & { UserSettings?: NormalUserSetting[] | null; Fleets?: string[] | null; Tags?: Record<string, string> | null };
    return {
      ...Object.fromEntries(STACK_ATTRIBUTES.map((attribute) => [attribute, declaredValue(stack[attribute], (v) => normalizeStackAttribute(attribute, v))])),
      UserSettings: declaredValue(stack.UserSettings, (list) => list && Object.fromEntries(list.map(normalizeUserSetting).map((s) => [s.Action, s]))),
      Fleets: declaredValue(stack.Fleets, (list) => asSet(list)),
      Tags: declaredValue(stack.Tags, userTags),
      Theme: declaredValue(stack.Theme, normalTheme),
    };
  },

  importDescribe: async (...args) => (await reads()).importStacks(...args),
  import(live, { declare, note, project }) {
    const stacks: Record<string, unknown>[] = [];
    for (const found of sortedBy(Object.values(live.stacks), (s) => s.stack.Name!)) {
      const address = stackAddress(found.stack.Name!);
      for (const message of errorNotes('StackErrors', found.stack.StackErrors)) note(address, message);
      const declared = declare(address, found.tags, (select) => stackConfig(found, ownRecord(project, found.tags), select));
      if (declared?.Theme && hasPlaceholder(declared.Theme)) {
        note(
          address,
          `Theme: AWS reports the logo and the favicon only as URLs, and no record of this project holds their S3 locations: replace the placeholders (${PLACEHOLDER.OrganizationLogoS3Location.S3Bucket}, ${PLACEHOLDER.FaviconS3Location.S3Bucket}) with them; the first apply uploads them`,
        );
      }
      if (declared) stacks.push(declared);
    }
    return stacks;
  },

  reads: ['DescribeStacks', 'ListAssociatedFleets', 'ListAssociatedStacks', 'DescribeThemeForStack'],
  operations: [
    'CreateStack',
    'UpdateStack',
    'DeleteStack',
    'DescribeStacks',
    'AssociateFleet',
    'DisassociateFleet',
    'TagResource',
    'UntagResource',
    'CreateThemeForStack',
    'UpdateThemeForStack',
    'DeleteThemeForStack',
  ],
  retry: {
    // AppStream calls carry no idempotency token: after an attempt that may have reached the server, these mean it did.
    doneOnResend: {
      CreateStack: 'ResourceAlreadyExistsException',
      DeleteStack: 'ResourceNotFoundException',
      CreateThemeForStack: 'ResourceAlreadyExistsException',
      DeleteThemeForStack: 'ResourceNotFoundException',
    },
    // A stack just created is briefly unknown to the other calls (AppStream's eventual consistency).
    visibilityProbe: (address) => ({ operation: 'DescribeStacks', input: { Names: [address.slice('stack/'.length)] } }),
  },
};

function stackConfig({ stack, fleets = [], tags = {}, theme }: LiveStack, record: AppliedRecord | undefined, select: Selection): Record<string, unknown> & Partial<Pick<StackConfig, 'Theme'>> {
  const declared: Record<string, unknown> & Partial<Pick<StackConfig, 'Theme'>> = { Name: stack.Name };
  for (const attribute of STACK_ATTRIBUTES) {
    const normal = normalizeStackAttribute(attribute, stack[attribute]);
    if (select.attribute(attribute, normal, DEFAULTS[attribute])) declared[attribute] = normal ?? null;
  }
  const settings = sortedBy(stack.UserSettings ?? [], (s) => s.Action!)
    .map((setting) => normalizeUserSetting({ Action: setting.Action!, Permission: setting.Permission!, MaximumLength: setting.MaximumLength }))
    .filter((setting) => select.userSetting(setting.Action, sameValue(setting, defaultUserSetting(setting.Action))))
    .map(declaredUserSetting);
  if (settings.length) declared.UserSettings = settings;
  const fleetSet = asSet(fleets);
  if (fleetSet && select.list('f')) declared.Fleets = fleetSet;
  const userTagMap = selectedTags(tags, select);
  if (userTagMap) declared.Tags = userTagMap;
  const themeDeclared = theme && importedTheme(theme, record, (member, value, fallback) => select.attribute(member, value, fallback));
  if (themeDeclared) declared.Theme = themeDeclared;
  return declared;
}

/** The default clipboard limit is implied; declaring it would only add noise. */
function declaredUserSetting(setting: NormalUserSetting): NormalUserSetting {
  const implied = sameValue(normalizeUserSetting({ Action: setting.Action, Permission: setting.Permission }), setting);
  return implied ? { Action: setting.Action, Permission: setting.Permission } : setting;
}
