/**
 * The emulated account: the state file format (also what GET/PUT /_emulator/state carry) and the
 * in-memory model the handlers work on. Seeding fills in what the service would (ARNs, CreatedTime,
 * default UserSettings, ids, owners) and checks every object against the model's shapes.
 */
import { epochTimestamps, facts, validate, type Violation } from './shapes.js';
import { randomText, seededRandom } from './random.js';

export type Tags = Record<string, string>;
type Json = Record<string, unknown>;

/** A Stack as DescribeStacks returns it, plus its tags. */
export interface StackState extends Json {
  Name: string;
  Tags?: Tags;
}
/** A fleet: only what stacks depend on is modelled (name, state, associations, image). */
export interface FleetState extends Json {
  Name: string;
  State?: string;
  ImageName?: string;
  AssociatedStacks?: string[];
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

export interface EmulatorState {
  account?: string;
  region?: string;
  appstream?: { stacks?: StackState[]; fleets?: FleetState[]; images?: ImageState[] };
  nimble?: {
    studios?: StudioState[];
    /** CreateStreamingImage from one of these AMIs ends in CREATE_FAILED instead of READY. */
    failingAmis?: string[];
  };
}

export interface StackRecord extends StackState {
  Arn: string;
  CreatedTime: number;
  Tags: Tags;
}
export interface FleetRecord extends FleetState {
  Arn: string;
  AssociatedStacks: string[];
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

/** A bad state (file or PUT body); the message names the member. */
export class StateError extends Error {}

export const USER_ACTIONS = facts.appstream.shapes.Action.enum!;

/** What a streaming image in a state shows, and where a transition out of that state leads. */
const IMAGE_STATES: Record<string, { statusCode: string; statusMessage: string; next?: string }> = {
  CREATE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_CREATE_IN_PROGRESS', statusMessage: 'Creating the streaming image.', next: 'READY' },
  UPDATE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_UPDATE_IN_PROGRESS', statusMessage: 'Updating the streaming image.', next: 'READY' },
  DELETE_IN_PROGRESS: { statusCode: 'STREAMING_IMAGE_DELETE_IN_PROGRESS', statusMessage: 'Deleting the streaming image.', next: 'DELETED' },
  READY: { statusCode: 'STREAMING_IMAGE_READY', statusMessage: 'The streaming image is ready.' },
  DELETED: { statusCode: 'STREAMING_IMAGE_DELETED', statusMessage: 'The streaming image is deleted.' },
  CREATE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The EC2 image {ami} could not be imported.' },
  UPDATE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The streaming image could not be updated.' },
  DELETE_FAILED: { statusCode: 'INTERNAL_ERROR', statusMessage: 'The streaming image could not be deleted.' },
};

export const IN_PROGRESS = new Set(Object.keys(IMAGE_STATES).filter((s) => IMAGE_STATES[s].next));

export class Store {
  readonly account: string;
  readonly region: string;
  readonly stacks = new Map<string, StackRecord>();
  readonly fleets = new Map<string, FleetRecord>();
  readonly images = new Map<string, ImageRecord>();
  readonly studios = new Map<string, Map<string, StreamingImageRecord>>();
  readonly failingAmis: Set<string>;
  /** Client token → the operation, request and response it first came with. */
  readonly clientTokens = new Map<string, { operation: string; request: string; response: unknown }>();
  /** When each streaming image in a *_IN_PROGRESS state reaches the next state (computed on read). */
  private readonly transitions = new WeakMap<StreamingImageRecord, number>();
  /** When each stack made by CreateStack becomes visible to the other calls (AppStream is eventually consistent). */
  private readonly visibleFrom = new WeakMap<StackRecord, number>();
  private readonly random: () => number;

  constructor(
    state: EmulatorState,
    private readonly transitionMs: number,
    seed: number,
    private readonly consistencyLagMs = 0,
  ) {
    this.random = seededRandom(seed ^ 0x5eed);
    const check = (ok: boolean, path: string, message: string) => {
      if (!ok) throw new StateError(`${path}: ${message}`);
    };
    check(isObject(state), 'state', 'must be a mapping');
    checkKeys(state, ['account', 'region', 'appstream', 'nimble'], '');
    this.account = state.account ?? '123456789012';
    this.region = state.region ?? 'us-east-1';
    check(typeof this.account === 'string' && /^\d{12}$/.test(this.account), 'account', 'must be a 12-digit string');
    check(typeof this.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(this.region), 'region', 'must be a region name such as us-east-1');
    const appstream = state.appstream ?? {};
    const nimble = state.nimble ?? {};
    check(isObject(appstream), 'appstream', 'must be a mapping');
    checkKeys(appstream, ['stacks', 'fleets', 'images'], 'appstream.');
    check(isObject(nimble), 'nimble', 'must be a mapping');
    checkKeys(nimble, ['studios', 'failingAmis'], 'nimble.');
    const failingAmis = listAt(nimble.failingAmis, 'nimble.failingAmis');
    failingAmis.forEach((ami, i) => check(typeof ami === 'string', `nimble.failingAmis[${i}]`, 'must be a string'));
    this.failingAmis = new Set(failingAmis as string[]);

    listAt(appstream.stacks, 'appstream.stacks').forEach((s, i) => this.seedStack(s, `appstream.stacks[${i}]`));
    listAt(appstream.images, 'appstream.images').forEach((s, i) => this.seedImage(s, `appstream.images[${i}]`));
    listAt(appstream.fleets, 'appstream.fleets').forEach((s, i) => this.seedFleet(s, `appstream.fleets[${i}]`));
    listAt(nimble.studios, 'nimble.studios').forEach((s, i) => this.seedStudio(s, `nimble.studios[${i}]`));
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
    this.setImageState(image, state);
    return image;
  }

  /** Moves a streaming image to `state`; an in-progress state completes `transitionMs` later. */
  setImageState(image: StreamingImageRecord, state: string): void {
    image.state = state;
    image.statusCode = IMAGE_STATES[state].statusCode;
    image.statusMessage = IMAGE_STATES[state].statusMessage.replace('{ami}', image.ec2ImageId);
    if (IMAGE_STATES[state].next) this.transitions.set(image, Date.now() + this.transitionMs);
    else this.transitions.delete(image);
  }

  /** Applies a due transition. Every read of a streaming image goes through here. */
  settle(image: StreamingImageRecord): StreamingImageRecord {
    const due = this.transitions.get(image);
    if (due !== undefined && Date.now() >= due) {
      const next = IMAGE_STATES[image.state].next!;
      this.setImageState(image, image.state === 'CREATE_IN_PROGRESS' && this.failingAmis.has(image.ec2ImageId) ? 'CREATE_FAILED' : next);
    }
    return image;
  }

  streamingImages(studioId: string): StreamingImageRecord[] {
    return [...(this.studios.get(studioId)?.values() ?? [])].map((image) => this.settle(image));
  }

  /** Finds a streaming image by ARN in any studio. */
  streamingImageByArn(arn: string): StreamingImageRecord | undefined {
    for (const studio of this.studios.values()) {
      for (const image of studio.values()) if (image.arn === arn) return this.settle(image);
    }
    return undefined;
  }

  toState(): EmulatorState {
    return clone({
      account: this.account,
      region: this.region,
      appstream: {
        stacks: [...this.stacks.values()],
        fleets: [...this.fleets.values()],
        images: [...this.images.values()],
      },
      nimble: {
        studios: [...this.studios.keys()].map((studioId) => ({ studioId, streamingImages: this.streamingImages(studioId) })),
        ...(this.failingAmis.size ? { failingAmis: [...this.failingAmis] } : {}),
      },
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

  private seedFleet(input: unknown, path: string): void {
    const { AssociatedStacks, Tags, ...fields } = asObject(input, path) as FleetState;
    const fleet: FleetRecord = {
      Arn: this.arn('appstream', `fleet/${fields.Name}`),
      InstanceType: 'stream.standard.medium',
      FleetType: 'ON_DEMAND',
      ComputeCapacityStatus: { Desired: 1, Running: 0, InUse: 0, Available: 0 },
      State: 'STOPPED',
      CreatedTime: Date.now() / 1000,
      ...(epochTimestamps(facts.appstream, 'Fleet', fields) as FleetState),
      AssociatedStacks: [],
      Tags: { ...(Tags ?? {}) },
    };
    const { AssociatedStacks: _, Tags: __, ...described } = fleet;
    checkShape('appstream', 'Fleet', described, path);
    checkTags(Tags, path);
    if (this.fleets.has(fleet.Name)) throw new StateError(`${path}.Name: fleet '${fleet.Name}' appears twice`);
    listAt(AssociatedStacks, `${path}.AssociatedStacks`).forEach((name, i) => {
      if (!this.stacks.has(name as string)) throw new StateError(`${path}.AssociatedStacks[${i}]: no stack named '${String(name)}' in appstream.stacks`);
      fleet.AssociatedStacks.push(name as string);
    });
    this.fleets.set(fleet.Name, fleet);
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
      this.setImageState(image, image.state);
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

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function asObject(value: unknown, path: string): Json {
  if (!isObject(value)) throw new StateError(`${path}: must be a mapping`);
  return value;
}

function listAt(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new StateError(`${path}: must be a list`);
  return value;
}

function checkKeys(value: object, allowed: string[], prefix: string): void {
  const unknown = Object.keys(value).find((k) => !allowed.includes(k));
  if (unknown) throw new StateError(`${prefix}${unknown}: unknown key (expected one of ${allowed.join(', ')})`);
}

/** The model's Tags need at least one entry; a state says "no tags" with {} or by leaving them out. */
function checkTags(tags: unknown, path: string): void {
  if (tags !== undefined && !(isObject(tags) && Object.keys(tags).length === 0)) checkShape('appstream', 'Tags', tags, `${path}.Tags`);
}

function checkShape(service: 'appstream' | 'nimble', shape: string, value: unknown, path: string): void {
  const [first] = validate(facts[service], shape, value, { textTimestamps: true, rejectUnknown: true });
  if (first) throw new StateError(describe(first, path));
}

function describe(v: Violation, path: string): string {
  const where = v.path.reduce<string>((p, seg) => (typeof seg === 'number' ? `${p}[${seg}]` : `${p}.${seg}`), path);
  const shown = v.value === null ? '' : ` (got ${JSON.stringify(v.value)})`;
  return `${where}: ${v.constraint.replace(/^Member /, '')}${shown}`;
}
