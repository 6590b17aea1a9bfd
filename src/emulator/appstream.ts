/**
 * AppStream 2.0 operations: stacks, tags, images and their permissions, fleet associations (the
 * fleets themselves: fleets.ts). Inputs arrive validated against the model, reduced to its
 * members; the rules here are the ones the model cannot express.
 */
import type { Context, Handler, Json } from './context.js';
import { notFound, ServiceError } from './errors.js';
import { paginate } from './paging.js';
import { clone } from './checks.js';
import { directoryConfigHandlers } from './directory-configs.js';
import { entitlementHandlers } from './entitlements.js';
import { fleetHandlers, fleetNamed } from './fleets.js';
import { userHandlers } from './users.js';
import { usageReportHandlers } from './usage-reports.js';
import { imageBuilderHandlers } from './image-builders.js';
import { appBlockHandlers } from './app-blocks.js';
import { applicationHandlers } from './applications.js';
import { completeUserSettings, dropEmptyText, type ImageRecord, type StackRecord, type Store, type Tags } from './state.js';

const INVALID_TOKEN = 'ValidationException';
const CLIPBOARD_ACTIONS = ['CLIPBOARD_COPY_FROM_LOCAL_DEVICE', 'CLIPBOARD_COPY_TO_LOCAL_DEVICE'];
const MAX_CLIPBOARD_LENGTH = 20_971_520;
const MAX_TAGS = 50;

/** StackAttribute → the Stack member it clears. STORAGE_CONNECTOR_<TYPE> is handled apart. */
const CLEARS: Record<string, string | undefined> = {
  STORAGE_CONNECTORS: 'StorageConnectors',
  REDIRECT_URL: 'RedirectURL',
  FEEDBACK_URL: 'FeedbackURL',
  USER_SETTINGS: 'UserSettings',
  EMBED_HOST_DOMAINS: 'EmbedHostDomains',
  ACCESS_ENDPOINTS: 'AccessEndpoints',
  STREAMING_EXPERIENCE_SETTINGS: 'StreamingExperienceSettings',
  CONTENT_REDIRECTION: 'ContentRedirection',
  AGENT_ACCESS_CONFIG: 'AgentAccessConfig',
  // No Stack member: the theme and the IAM role live elsewhere, so these clear nothing here.
  THEME_NAME: undefined,
  IAM_ROLE_ARN: undefined,
};

const invalidCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message);

type Connector = { ConnectorType: string; DomainsRequireAdminConsent?: string[] };
type UserSetting = { Action: string; Permission: string; MaximumLength?: number };

function stackNamed(store: Store, name: string): StackRecord {
  const stack = store.visibleStack(name);
  if (!stack) throw notFound('Stack', name);
  return stack;
}

function imageNamed(store: Store, name: string): ImageRecord {
  const image = store.images.get(name);
  if (!image) throw notFound('Image', name);
  return image;
}

function imageWithArn(store: Store, arn: string): ImageRecord {
  const image = [...store.images.values()].find((i) => i.Arn === arn);
  if (!image) throw notFound('Image', arn);
  return image;
}

const describeStack = ({ Tags: _, ...stack }: StackRecord): Json => clone(stack);

function describeImage({ Tags: _, SharedImagePermissions, ...image }: ImageRecord): Json {
  const shared = image.Visibility === 'PRIVATE' ? { ImageSharedWithOthers: SharedImagePermissions.length ? 'TRUE' : 'FALSE' } : {};
  return clone({ ...shared, ...image });
}

/** The rules of stack settings that the model's shapes cannot state. */
function checkStackSettings(input: Json): void {
  const app = input.ApplicationSettings as { Enabled: boolean; SettingsGroup?: string } | undefined;
  if (app?.Enabled && !app.SettingsGroup) {
    throw invalidCombination('ApplicationSettings.SettingsGroup is required when ApplicationSettings.Enabled is true.');
  }
  const settings = (input.UserSettings ?? []) as UserSetting[];
  const seenActions = new Set<string>();
  for (const s of settings) {
    if (seenActions.has(s.Action)) throw invalidCombination(`UserSettings names the action ${s.Action} more than once.`);
    seenActions.add(s.Action);
    if (s.MaximumLength === undefined) continue;
    if (!CLIPBOARD_ACTIONS.includes(s.Action)) throw invalidCombination(`MaximumLength can only be set for the clipboard actions, not ${s.Action}.`);
    if (s.Permission === 'DISABLED') throw invalidCombination(`MaximumLength can't be set when the permission of ${s.Action} is DISABLED.`);
    if (s.MaximumLength < 1 || s.MaximumLength > MAX_CLIPBOARD_LENGTH) {
      throw invalidCombination(`MaximumLength of ${s.Action} must be between 1 and ${MAX_CLIPBOARD_LENGTH}.`);
    }
  }
  const seenTypes = new Set<string>();
  for (const c of (input.StorageConnectors ?? []) as Connector[]) {
    if (seenTypes.has(c.ConnectorType)) throw invalidCombination(`StorageConnectors names the connector type ${c.ConnectorType} more than once.`);
    seenTypes.add(c.ConnectorType);
    if (c.DomainsRequireAdminConsent?.length && c.ConnectorType !== 'ONE_DRIVE') {
      throw invalidCombination('DomainsRequireAdminConsent can only be specified for the ONE_DRIVE connector.');
    }
  }
}

/** Applies to the stored (merged) agent access configuration, since updates may be partial. */
function checkAgentAccess(config: Json | undefined): void {
  if (!config) return;
  for (const member of ['Settings', 'ScreenResolution', 'ScreenImageFormat']) {
    if (config[member] === undefined) throw invalidCombination(`AgentAccessConfig.${member} is required.`);
  }
  if (config.ScreenshotsUploadEnabled && !config.S3BucketArn) {
    throw invalidCombination('AgentAccessConfig.S3BucketArn is required when ScreenshotsUploadEnabled is true.');
  }
  const enabled = new Set((config.Settings as { AgentAction: string; Permission: string }[]).filter((s) => s.Permission === 'ENABLED').map((s) => s.AgentAction));
  if (enabled.has('COMPUTER_INPUT') && !enabled.has('COMPUTER_VISION')) {
    throw invalidCombination('COMPUTER_INPUT can only be enabled together with COMPUTER_VISION.');
  }
}

const isSet = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);

function checkAttributesToDelete(input: Json): void {
  const connectorTypes = ((input.StorageConnectors ?? []) as Connector[]).map((c) => c.ConnectorType);
  for (const attribute of (input.AttributesToDelete ?? []) as string[]) {
    const member = CLEARS[attribute];
    const conflict = attribute.startsWith('STORAGE_CONNECTOR_')
      ? connectorTypes.includes(attribute.slice('STORAGE_CONNECTOR_'.length))
      : member !== undefined && isSet(input[member]);
    if (conflict) throw invalidCombination(`${attribute} can't be both set and deleted in the same request.`);
  }
  if (input.DeleteStorageConnectors && isSet(input.StorageConnectors)) {
    throw invalidCombination('DeleteStorageConnectors and StorageConnectors can\'t be used in the same request.');
  }
}

function createStack(input: Json, { store }: Context): Json {
  checkStackSettings(input);
  checkAgentAccess(input.AgentAccessConfig as Json | undefined);
  const { Tags, ...fields } = input;
  if (store.stacks.has(fields.Name as string)) {
    throw new ServiceError('ResourceAlreadyExistsException', `The stack ${fields.Name as string} already exists.`);
  }
  const stack = store.newStack(fields);
  stack.Tags = { ...((Tags as Tags | undefined) ?? {}) };
  store.addCreatedStack(stack);
  return { Stack: describeStack(stack) };
}

/** Partial: members left out stay; lists merge by key, so removal goes only through AttributesToDelete. */
function updateStack(input: Json, { store }: Context): Json {
  const stack = stackNamed(store, input.Name as string);
  checkStackSettings(input);
  checkAttributesToDelete(input);
  const { Name: _, AttributesToDelete, DeleteStorageConnectors, StorageConnectors, UserSettings, ApplicationSettings, AgentAccessConfig, ...replaced } = input;
  const agentAccess = AgentAccessConfig ? { ...((stack.AgentAccessConfig as Json | undefined) ?? {}), ...(AgentAccessConfig as Json) } : undefined;
  checkAgentAccess(agentAccess);

  if (DeleteStorageConnectors) stack.StorageConnectors = [];
  for (const attribute of (AttributesToDelete ?? []) as string[]) {
    if (attribute.startsWith('STORAGE_CONNECTOR_')) {
      const type = attribute.slice('STORAGE_CONNECTOR_'.length);
      stack.StorageConnectors = (stack.StorageConnectors as Connector[]).filter((c) => c.ConnectorType !== type);
    } else if (attribute === 'USER_SETTINGS') {
      stack.UserSettings = completeUserSettings();
    } else if (attribute === 'STORAGE_CONNECTORS') {
      stack.StorageConnectors = [];
    } else if (CLEARS[attribute]) {
      delete stack[CLEARS[attribute]];
    }
  }
  if (StorageConnectors) {
    const byType = new Map((stack.StorageConnectors as Connector[]).map((c) => [c.ConnectorType, c]));
    for (const c of StorageConnectors as Connector[]) byType.set(c.ConnectorType, c);
    stack.StorageConnectors = [...byType.values()];
  }
  if (UserSettings) stack.UserSettings = completeUserSettings(UserSettings as Json[], stack.UserSettings as Json[]);
  if (ApplicationSettings) stack.ApplicationSettings = store.applicationSettings(ApplicationSettings as Json);
  if (agentAccess) stack.AgentAccessConfig = agentAccess;
  for (const [member, value] of Object.entries(replaced)) if (value !== undefined && value !== null) stack[member] = clone(value);
  dropEmptyText(stack);
  return { Stack: describeStack(stack) };
}

function deleteStack(input: Json, { store }: Context): Json {
  const stack = stackNamed(store, input.Name as string);
  const fleets = [...store.fleets.values()].filter((f) => f.AssociatedStacks.includes(stack.Name)).map((f) => f.Name);
  if (fleets.length) {
    throw new ServiceError('ResourceInUseException', `The stack ${stack.Name} is associated with the fleet(s) ${fleets.join(', ')}; disassociate them first.`);
  }
  store.stacks.delete(stack.Name);
  return {};
}

function describeStacks(input: Json, { store, pageSize }: Context): Json {
  const names = (input.Names ?? []) as string[];
  const stacks = names.length ? names.map((n) => stackNamed(store, n)) : store.visibleStacks();
  const page = paginate([...new Set(stacks)], (s) => s.Name, input.NextToken as string | undefined, pageSize(25), INVALID_TOKEN);
  return { Stacks: page.items.map(describeStack), ...(page.next ? { NextToken: page.next } : {}) };
}

/** Stacks, fleets, image builders, the account's own images, app blocks and applications can be tagged; only by ARN. */
function taggable(store: Store, arn: string): { Tags: Tags } {
  const found =
    store.visibleStacks().find((s) => s.Arn === arn) ??
    [...store.fleets.values()].find((f) => f.Arn === arn) ??
    store.imageBuilders.list().find((b) => b.Arn === arn) ??
    [...store.images.values()].find((i) => i.Arn === arn && i.Visibility !== 'PUBLIC') ??
    store.appBlocks.withArn(arn) ??
    store.applications.withArn(arn);
  if (!found) throw notFound('Resource', arn);
  return found;
}

function tagResource(input: Json, { store }: Context): Json {
  const resource = taggable(store, input.ResourceArn as string);
  const merged = { ...resource.Tags, ...(input.Tags as Tags) };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new ServiceError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
  }
  resource.Tags = merged;
  return {};
}

function untagResource(input: Json, { store }: Context): Json {
  const resource = taggable(store, input.ResourceArn as string);
  for (const key of input.TagKeys as string[]) delete resource.Tags[key];
  return {};
}

function listTagsForResource(input: Json, { store }: Context): Json {
  return { Tags: { ...taggable(store, input.ResourceArn as string).Tags } };
}

function describeImages(input: Json, { store, pageSize }: Context): Json {
  const names = (input.Names ?? []) as string[];
  const arns = (input.Arns ?? []) as string[];
  let images = [...store.images.values()];
  if (names.length || arns.length) images = [...names.map((n) => imageNamed(store, n)), ...arns.map((a) => imageWithArn(store, a))];
  if (input.Type) images = images.filter((i) => i.Visibility === input.Type);
  const page = paginate([...new Set(images)], (i) => i.Name, input.NextToken as string | undefined, pageSize(25, input.MaxResults as number | undefined), INVALID_TOKEN);
  return { Images: page.items.map(describeImage), ...(page.next ? { NextToken: page.next } : {}) };
}

function deleteImage(input: Json, { store }: Context): Json {
  const image = imageNamed(store, input.Name as string);
  if (image.Visibility !== 'PRIVATE') throw new ServiceError('OperationNotPermittedException', `The image ${image.Name} is not owned by this account.`);
  const fleets = [...store.fleets.values()].filter((f) => f.ImageName === image.Name || f.ImageArn === image.Arn).map((f) => f.Name);
  if (fleets.length) throw new ServiceError('ResourceInUseException', `The image ${image.Name} is used by the fleet(s) ${fleets.join(', ')}.`);
  store.images.delete(image.Name);
  return { Image: { ...describeImage(image), State: 'DELETING' } };
}

/** Permissions can be given only on the account's own private images that are ready. */
function ownImage(store: Store, name: string): ImageRecord {
  const image = imageNamed(store, name);
  if (image.Visibility !== 'PRIVATE' || image.State !== 'AVAILABLE') {
    throw new ServiceError('ResourceNotAvailableException', `The image ${name} is not a private image in the AVAILABLE state.`);
  }
  return image;
}

function describeImagePermissions(input: Json, { store, pageSize }: Context): Json {
  const image = imageNamed(store, input.Name as string);
  const accounts = input.SharedAwsAccountIds as string[] | undefined;
  const permissions = image.SharedImagePermissions.filter((p) => !accounts || accounts.includes(p.sharedAccountId));
  const page = paginate(permissions, (p) => p.sharedAccountId, input.NextToken as string | undefined, pageSize(100, input.MaxResults as number | undefined), INVALID_TOKEN);
  return { Name: image.Name, SharedImagePermissionsList: clone(page.items), ...(page.next ? { NextToken: page.next } : {}) };
}

function updateImagePermissions(input: Json, { store }: Context): Json {
  const image = ownImage(store, input.Name as string);
  const account = input.SharedAccountId as string;
  const permissions = clone(input.ImagePermissions as { allowFleet?: boolean; allowImageBuilder?: boolean });
  const existing = image.SharedImagePermissions.find((p) => p.sharedAccountId === account);
  if (existing) existing.imagePermissions = permissions;
  else image.SharedImagePermissions.push({ sharedAccountId: account, imagePermissions: permissions });
  return {};
}

function deleteImagePermissions(input: Json, { store }: Context): Json {
  const image = ownImage(store, input.Name as string);
  const account = input.SharedAccountId as string;
  if (!image.SharedImagePermissions.some((p) => p.sharedAccountId === account)) {
    throw notFound('Image permission of account', `${account} on image ${image.Name}`);
  }
  image.SharedImagePermissions = image.SharedImagePermissions.filter((p) => p.sharedAccountId !== account);
  return {};
}

/** Associating twice, or disassociating what is not associated, changes nothing and succeeds. */
function associateFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.FleetName as string);
  const stack = stackNamed(store, input.StackName as string);
  if (!fleet.AssociatedStacks.includes(stack.Name)) fleet.AssociatedStacks.push(stack.Name);
  return {};
}

function disassociateFleet(input: Json, { store }: Context): Json {
  const fleet = fleetNamed(store, input.FleetName as string);
  const stack = stackNamed(store, input.StackName as string);
  fleet.AssociatedStacks = fleet.AssociatedStacks.filter((s) => s !== stack.Name);
  return {};
}

function namesPage(names: string[], input: Json, pageSize: Context['pageSize']): Json {
  const page = paginate(names, (n) => n, input.NextToken as string | undefined, pageSize(25), INVALID_TOKEN);
  return { Names: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

/**
 * The model declares no errors for the two List operations: an unknown name lists nothing, and so
 * does a stack too new to be seen (it cannot have been associated yet).
 */
function listAssociatedFleets(input: Json, { store, pageSize }: Context): Json {
  const fleets = [...store.fleets.values()].filter((f) => f.AssociatedStacks.includes(input.StackName as string));
  return namesPage(fleets.map((f) => f.Name), input, pageSize);
}

function listAssociatedStacks(input: Json, { store, pageSize }: Context): Json {
  return namesPage(store.fleets.get(input.FleetName as string)?.AssociatedStacks ?? [], input, pageSize);
}

export const appstreamHandlers: Record<string, Handler> = {
  CreateStack: createStack,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
  DescribeStacks: describeStacks,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  DescribeImages: describeImages,
  DeleteImage: deleteImage,
  DescribeImagePermissions: describeImagePermissions,
  UpdateImagePermissions: updateImagePermissions,
  DeleteImagePermissions: deleteImagePermissions,
  ...fleetHandlers,
  ...imageBuilderHandlers,
  AssociateFleet: associateFleet,
  DisassociateFleet: disassociateFleet,
  ListAssociatedFleets: listAssociatedFleets,
  ListAssociatedStacks: listAssociatedStacks,
  ...userHandlers,
  ...directoryConfigHandlers,
  ...appBlockHandlers,
  ...applicationHandlers,
  ...usageReportHandlers,
  ...entitlementHandlers,
};
