/**
 * The emulated account: the state file format (also what GET/PUT /_emulator/state carry) and the
 * in-memory model the handlers work on. Seeding fills in what the service would (ARNs, CreatedTime,
 * default UserSettings, ids, owners) and checks every object against the model's shapes. Fleets
 * (fleets.ts) and STS roles (sts.ts) are seeded by their own modules.
 */
import { seedAppBlocks, type AppBlocks, type AppBlockState } from './app-blocks.js';
import { seedApplications, type ApplicationFleetAssociation, type Applications, type ApplicationState } from './applications.js';
import { asObject, checkKeys, checkShape, checkTags, clone, isObject, listAt, StateError } from './checks.js';
import { directoryConfigsState, seedDirectoryConfigs, type DirectoryConfigState } from './directory-configs.js';
import { seedUsageReports, usageReportsState, type UsageReportSubscriptionState } from './usage-reports.js';
import { entitlementsState, seedEntitlements, type EntitlementState } from './entitlements.js';
import { FLEET_LIFECYCLE, seedFleet, type FleetRecord, type FleetState, type FleetStateName } from './fleets.js';
import { seedImageBuilders, type ImageBuilders, type ImageBuilderState } from './image-builders.js';
import { Lifecycle, type LifecycleSpec } from './lifecycle.js';
import { randomText, seededRandom } from './random.js';
import { epochTimestamps, facts } from './shapes.js';
import { secretStoresState, seedSecretStores, type SecretStores } from './secrets.js';
import { seedRoles, type RoleState, type StsSession, type StsState } from './sts.js';
import { seedUserPool, type AssociationRecord, type UserPool, type UserRecord } from './users.js';

export type Tags = Record<string, string>;
type Json = Record<string, unknown>;

/** A Stack as DescribeStacks returns it, plus its tags. */
export interface StackState extends Json {
  Name: string;
  Tags?: Tags;
}
export interface SharedImagePermission {
  sharedAccountId: string;
  imagePermissions: { allowFleet?: boolean; allowImageBuilder?: boolean };
}
/** An Image as DescribeImages returns it, plus its tags and who it is shared with. */
export interface ImageState extends Json {
  Name: string;
  Tags?: Tags;
  SharedImagePermissions?: SharedImagePermission[];
}
/** A StreamingImage as GetStreamingImage returns it. */
export interface StreamingImageState extends Json {
  name: string;
  ec2ImageId: string;
  streamingImageId?: string;
  state?: string;
  tags?: Tags;
}
export interface StudioState {
  studioId: string;
  streamingImages?: StreamingImageState[];
}

export interface EmulatorState extends SecretStores {
  account?: string;
  region?: string;
  appstream?: {
    stacks?: StackState[];
    fleets?: FleetState[];
    images?: ImageState[];
    imageBuilders?: ImageBuilderState[];
    /** An image builder launched in one of these subnets ends FAILED, with ImageBuilderErrors. */
    failingSubnets?: string[];
    users?: Partial<UserRecord>[];
    userStackAssociations?: AssociationRecord[];
    directoryConfigs?: DirectoryConfigState[];
    appBlocks?: AppBlockState[];
    applications?: ApplicationState[];
    applicationFleetAssociations?: ApplicationFleetAssociation[];
    /** At most one: the account's subscription in the Region, as DescribeUsageReportSubscriptions returns it. */
    usageReportSubscriptions?: UsageReportSubscriptionState[];
    entitlements?: EntitlementState[];
  };
  nimble?: {
    studios?: StudioState[];
    /** CreateStreamingImage from one of these AMIs ends in CREATE_FAILED instead of READY. */
    failingAmis?: string[];
  };
  sts?: StsState;
}

export interface StackRecord extends StackState {
  Arn: string;
  CreatedTime: number;
  Tags: Tags;
}
export interface ImageRecord extends ImageState {
  Arn: string;
  Visibility: string;
  State: string;
  Tags: Tags;
  SharedImagePermissions: SharedImagePermission[];
}
export interface StreamingImageRecord extends StreamingImageState {
  arn: string;
  streamingImageId: string;
  owner: string;
  state: string;
  statusCode: string;
  tags: Tags;
}

export const USER_ACTIONS = facts.appstream.shapes.Action.enum!;

/** What a streaming image in a state shows. */
const IMAGE_STATES: Record<string, { statusCode: string; statusMessage: string }> = {
  CREATE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_CREATE_IN_PROGRESS', statusMessage: 'Creating the streaming image.' },
  UPDATE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_UPDATE_IN_PROGRESS', statusMessage: 'Updating the streaming image.' },
  DELETE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_DELETE_IN_PROGRESS', statusMessage: 'Deleting the streaming image.' },
  READY: { statusCode: 'STREAMING_IMAGE_READY', statusMessage: 'The streaming image is ready.' },
  DELETED: { statusCode: 'STREAMING_IMAGE_DELETED', statusMessage: 'The streaming image is deleted.' },
  CREATE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The EC2 image {ami} could not be imported.' },
  UPDATE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The streaming image could not be updated.' },
  DELETE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The streaming image could not be deleted.' },
};

/** Where a streaming image's *_IN_PROGRESS states lead; an image of a failing AMI is never created. */
function streamingImageLifecycle(failingAmis: Set<string>): LifecycleSpec<StreamingImageRecord, string> {
  return {
    next: {
      CREATE_IN_PROGRESS: (image) => (failingAmis.has(image.ec2ImageId) ? 'CREATE_FAILED' : 'READY'),
      UPDATE_IN_PROGRESS: () => 'READY',
      DELETE_IN_PROGRESS: () => 'DELETED',
    },
    state: (image) => image.state,
    enter: (image, state) => {
      image.state = state;
      image.statusCode = IMAGE_STATES[state].statusCode;
      image.statusMessage = IMAGE_STATES[state].statusMessage.replace('{ami}', image.ec2ImageId);
    },
  };
}

export class Store {
  readonly account: string;
  readonly region: string;
  readonly stacks = new Map<string, StackRecord>();
  readonly fleets = new Map<string, FleetRecord>();
  readonly images = new Map<string, ImageRecord>();
  readonly studios = new Map<string, Map<string, StreamingImageRecord>>();
  readonly failingAmis: Set<string>;
  /** The user pool's users and their stack assignments (users.ts). */
  readonly userPool: UserPool;
  /** Client token → the operation, request and response it first came with. */
  readonly clientTokens = new Map<string, { operation: string; request: string; response: unknown }>();
  readonly streamingImageLifecycle: Lifecycle<StreamingImageRecord, string>;
  readonly fleetLifecycle: Lifecycle<FleetRecord, FleetStateName>;
  readonly imageBuilders: ImageBuilders;
  /** The Elastic-fleet catalogue (app-blocks.ts, applications.ts), which other modules read and block deletes in. */
  readonly appBlocks: AppBlocks;
  readonly applications: Applications;
  /** The roles that may be assumed; undefined: any role. */
  readonly roles: RoleState[] | undefined;
  /** Access key id → the role session AssumeRole issued it for. */
  readonly stsSessions = new Map<string, StsSession>();
  /** The generator of STS credentials, apart from the ids' so that issuing keys changes no id. */
  readonly stsRandom: () => number;
  /** When each stack made by CreateStack becomes visible to the other calls (AppStream is eventually consistent). */
  private readonly visibleFrom = new WeakMap<StackRecord, number>();
  private readonly random: () => number;

  constructor(
    state: EmulatorState,
    transitionMs: number,
    seed: number,
    private readonly consistencyLagMs = 0,
  ) {
    this.random = seededRandom(seed ^ 0x5eed);
    this.stsRandom = seededRandom(seed ^ 0x575);
    const check = (ok: boolean, path: string, message: string) => {
      if (!ok) throw new StateError(`${path}: ${message}`);
    };
    check(isObject(state), 'state', 'must be a mapping');
    checkKeys(state, ['account', 'region', 'appstream', 'nimble', 'sts', 'secretsmanager', 'ssm'], '');
    this.account = state.account ?? '123456789012';
    this.region = state.region ?? 'us-east-1';
    check(typeof this.account === 'string' && /^\d{12}$/.test(this.account), 'account', 'must be a 12-digit string');
    check(typeof this.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(this.region), 'region', 'must be a region name such as us-east-1');
    const appstream = state.appstream ?? {};
    const nimble = state.nimble ?? {};
    check(isObject(appstream), 'appstream', 'must be a mapping');
    checkKeys(appstream, ['stacks', 'fleets', 'images', 'imageBuilders', 'failingSubnets', 'users', 'userStackAssociations', 'directoryConfigs', 'appBlocks', 'applications', 'applicationFleetAssociations', 'usageReportSubscriptions', 'entitlements'], 'appstream.');
    check(isObject(nimble), 'nimble', 'must be a mapping');
    checkKeys(nimble, ['studios', 'failingAmis'], 'nimble.');
    const failingAmis = listAt(nimble.failingAmis, 'nimble.failingAmis');
    failingAmis.forEach((ami, i) => check(typeof ami === 'string', `nimble.failingAmis[${i}]`, 'must be a string'));
    this.failingAmis = new Set(failingAmis as string[]);
    this.streamingImageLifecycle = new Lifecycle(streamingImageLifecycle(this.failingAmis), transitionMs);
    this.fleetLifecycle = new Lifecycle(FLEET_LIFECYCLE, transitionMs);
    this.roles = seedRoles(state.sts);

    listAt(appstream.stacks, 'appstream.stacks').forEach((s, i) => this.seedStack(s, `appstream.stacks[${i}]`));
    listAt(appstream.images, 'appstream.images').forEach((s, i) => this.seedImage(s, `appstream.images[${i}]`));
    listAt(appstream.fleets, 'appstream.fleets').forEach((s, i) => this.addFleet(seedFleet(this, s, `appstream.fleets[${i}]`)));
    this.imageBuilders = seedImageBuilders(this, appstream, transitionMs);
    listAt(nimble.studios, 'nimble.studios').forEach((s, i) => this.seedStudio(s, `nimble.studios[${i}]`));
    this.userPool = seedUserPool(this, appstream.users, appstream.userStackAssociations);
    seedDirectoryConfigs(this, appstream.directoryConfigs);
    this.appBlocks = seedAppBlocks(this, appstream.appBlocks);
    this.applications = seedApplications(this, appstream);
    seedUsageReports(this, appstream.usageReportSubscriptions);
    seedEntitlements(this, appstream.entitlements);
    seedSecretStores(this, state);
  }

  arn(service: 'appstream' | 'nimble', resource: string, account = this.account): string {
    return `arn:aws:${service}:${this.region}:${account}:${resource}`;
  }

  /** A fresh stack as CreateStack makes it; `fields` are the request's members. */
  newStack(fields: Json, createdTime = Date.now() / 1000): StackRecord {
    const name = fields.Name as string;
    const stack: StackRecord = {
      Arn: this.arn('appstream', `stack/${name}`),
      Name: name,
      CreatedTime: createdTime,
      StorageConnectors: [],
      StackErrors: [],
      ApplicationSettings: { Enabled: false },
      Tags: {},
    };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) stack[key] = value;
    stack.UserSettings = completeUserSettings(fields.UserSettings as Json[] | undefined);
    stack.ApplicationSettings = this.applicationSettings(stack.ApplicationSettings as Json);
    dropEmptyText(stack);
    return stack;
  }

  /** Adds a stack made by CreateStack: for consistencyLagMs, only its own name check and the admin state see it. */
  addCreatedStack(stack: StackRecord): void {
    this.stacks.set(stack.Name, stack);
    if (this.consistencyLagMs > 0) this.visibleFrom.set(stack, Date.now() + this.consistencyLagMs);
  }

  /** The stack named `name` as the service's calls see it: absent while it is new and not yet consistent. */
  visibleStack(name: string): StackRecord | undefined {
    const stack = this.stacks.get(name);
    return stack && this.isVisible(stack) ? stack : undefined;
  }

  visibleStacks(): StackRecord[] {
    return [...this.stacks.values()].filter((stack) => this.isVisible(stack));
  }

  private isVisible(stack: StackRecord): boolean {
    return Date.now() >= (this.visibleFrom.get(stack) ?? 0);
  }

  /** The output form: an S3 bucket appears once application settings persistence is on. */
  applicationSettings(settings: Json): Json {
    const { S3BucketName: _, ...rest } = settings;
    return rest.Enabled ? { ...rest, S3BucketName: `appstream-app-settings-${this.region}-${this.account}` } : rest;
  }

  newStreamingImage(studioId: string, fields: { name: string; ec2ImageId: string; description?: string; tags?: Tags }, state: string): StreamingImageRecord {
    let id: string;
    // A state put back (PUT /_emulator/state) restarts the generator: skip ids it already holds.
    do id = `si-${randomText(this.random, 19)}`;
    while ([...this.studios.values()].some((images) => images.has(id)));
    const image: StreamingImageRecord = {
      arn: this.arn('nimble', `streaming-image/${id}`),
      ...(fields.description ? { description: fields.description } : {}),
      ec2ImageId: fields.ec2ImageId,
      eulaIds: [],
      name: fields.name,
      owner: studioId,
      platform: 'LINUX',
      state,
      statusCode: '',
      streamingImageId: id,
      tags: { ...(fields.tags ?? {}) },
    };
    this.streamingImageLifecycle.move(image, state);
    return image;
  }

  streamingImages(studioId: string): StreamingImageRecord[] {
    return [...(this.studios.get(studioId)?.values() ?? [])].map((image) => this.streamingImageLifecycle.settle(image));
  }

  /** Adds a fleet; one seeded in STARTING or STOPPING moves on `transitionMs` from now. */
  addFleet(fleet: FleetRecord): void {
    this.fleets.set(fleet.Name, fleet);
    this.fleetLifecycle.track(fleet);
  }

  /** The fleet named `name`, its due transitions applied; every read of a fleet's state goes through here. */
  fleet(name: string): FleetRecord | undefined {
    const fleet = this.fleets.get(name);
    return fleet && this.fleetLifecycle.settle(fleet);
  }

  fleetList(): FleetRecord[] {
    return [...this.fleets.values()].map((fleet) => this.fleetLifecycle.settle(fleet));
  }

  /** Finds a streaming image by ARN in any studio. */
  streamingImageByArn(arn: string): StreamingImageRecord | undefined {
    for (const studio of this.studios.values()) {
      for (const image of studio.values()) if (image.arn === arn) return this.streamingImageLifecycle.settle(image);
    }
    return undefined;
  }

  toState(): EmulatorState {
    return clone({
      account: this.account,
      region: this.region,
      appstream: {
        stacks: [...this.stacks.values()],
        fleets: this.fleetList(),
        images: [...this.images.values()],
        ...this.userPool.toState(this),
        imageBuilders: this.imageBuilders.list(),
        ...(this.imageBuilders.failingSubnets.size ? { failingSubnets: [...this.imageBuilders.failingSubnets] } : {}),
        ...(directoryConfigsState(this).length ? { directoryConfigs: directoryConfigsState(this) } : {}),
        ...(this.appBlocks.byName.size ? { appBlocks: this.appBlocks.list() } : {}),
        ...(this.applications.byName.size ? { applications: this.applications.list() } : {}),
        ...(this.applications.associations(this).length ? { applicationFleetAssociations: this.applications.associations(this) } : {}),
        ...(usageReportsState(this).length ? { usageReportSubscriptions: usageReportsState(this) } : {}),
        ...(entitlementsState(this).length ? { entitlements: entitlementsState(this) } : {}),
      },
      nimble: {
        studios: [...this.studios.keys()].map((studioId) => ({ studioId, streamingImages: this.streamingImages(studioId) })),
        ...(this.failingAmis.size ? { failingAmis: [...this.failingAmis] } : {}),
      },
      ...(this.roles ? { sts: { roles: this.roles } } : {}),
      ...secretStoresState(this),
    });
  }

  private seedStack(input: unknown, path: string): void {
    const { Tags, ...fields } = asObject(input, path) as StackState;
    checkShape('appstream', 'Stack', fields, path);
    checkTags(Tags, path);
    if (this.stacks.has(fields.Name)) throw new StateError(`${path}.Name: stack '${fields.Name}' appears twice`);
    const seeded = epochTimestamps(facts.appstream, 'Stack', fields) as Json;
    const stack = this.newStack(seeded, (seeded.CreatedTime as number | undefined) ?? Date.now() / 1000);
    stack.Tags = { ...(Tags ?? {}) };
    this.stacks.set(stack.Name, stack);
  }

  private seedImage(input: unknown, path: string): void {
    const { Tags, SharedImagePermissions, ...fields } = asObject(input, path) as ImageState;
    checkShape('appstream', 'Image', fields, path);
    checkTags(Tags, path);
    if (SharedImagePermissions !== undefined) checkShape('appstream', 'SharedImagePermissionsList', SharedImagePermissions, `${path}.SharedImagePermissions`);
    if (this.images.has(fields.Name)) throw new StateError(`${path}.Name: image '${fields.Name}' appears twice`);
    const visibility = (fields.Visibility as string | undefined) ?? 'PRIVATE';
    // AWS-provided public images carry no account in their ARN.
    const image: ImageRecord = {
      Arn: this.arn('appstream', `image/${fields.Name}`, visibility === 'PUBLIC' ? '' : this.account),
      Visibility: visibility,
      State: 'AVAILABLE',
      CreatedTime: Date.now() / 1000,
      ...(epochTimestamps(facts.appstream, 'Image', fields) as ImageState),
      Tags: { ...(Tags ?? {}) },
      SharedImagePermissions: SharedImagePermissions ?? [],
    };
    this.images.set(image.Name, image);
  }

  private seedStudio(input: unknown, path: string): void {
    const studio = asObject(input, path) as unknown as StudioState;
    checkKeys(studio, ['studioId', 'streamingImages'], `${path}.`);
    if (typeof studio.studioId !== 'string' || !/^[a-zA-Z0-9-_]{1,64}$/.test(studio.studioId)) {
      throw new StateError(`${path}.studioId: must be an id of letters, digits, '-' and '_'`);
    }
    if (this.studios.has(studio.studioId)) throw new StateError(`${path}.studioId: studio '${studio.studioId}' appears twice`);
    const images = new Map<string, StreamingImageRecord>();
    this.studios.set(studio.studioId, images);
    listAt(studio.streamingImages, `${path}.streamingImages`).forEach((raw, i) => {
      const at = `${path}.streamingImages[${i}]`;
      const fields = asObject(raw, at) as StreamingImageState;
      const image = { ...this.newStreamingImage(studio.studioId, fields, 'READY'), ...fields } as StreamingImageRecord;
      image.arn = this.arn('nimble', `streaming-image/${image.streamingImageId}`);
      checkShape('nimble', 'StreamingImage', image, at);
      // The output shape requires nothing, but CreateStreamingImage requires these two.
      for (const member of ['name', 'ec2ImageId']) if (image[member] === undefined) throw new StateError(`${at}.${member}: is required`);
      if (this.streamingImageByArn(image.arn)) throw new StateError(`${at}.streamingImageId: '${image.streamingImageId}' appears twice`);
      this.streamingImageLifecycle.move(image, image.state);
      if (fields.statusMessage !== undefined) image.statusMessage = fields.statusMessage;
      images.set(image.streamingImageId, image);
    });
  }
}

/** UserSettings always list every action; actions never set are ENABLED (the service default). */
export function completeUserSettings(given: Json[] = [], current?: Json[]): Json[] {
  const byAction = new Map<string, Json>();
  for (const action of USER_ACTIONS) byAction.set(action, { Action: action, Permission: 'ENABLED' });
  for (const setting of [...(current ?? []), ...given]) byAction.set(setting.Action as string, setting);
  return [...byAction.values()];
}

/** Stack members that are cleared, not set, by an empty string: the output never echoes "". */
const OPTIONAL_TEXT = ['Description', 'DisplayName', 'RedirectURL', 'FeedbackURL'];

export function dropEmptyText(stack: Json): void {
  for (const m of OPTIONAL_TEXT) if (stack[m] === '') delete stack[m];
}
