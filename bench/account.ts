import { stringify } from 'yaml';
import type { Config, FleetConfig, ImageConfig, StackConfig, StreamingImageConfig, UserConfig } from '../src/config/types.js';
import type { EmulatorState, FleetState, ImageState, StackState, StreamingImageState } from '../src/emulator/index.js';
import { seededRandom } from '../src/emulator/random.js';

/** How big an account is and how it is shaped. */
export interface AccountShape {
  stacks: number;
  /** Fleets, each associated with every `fleets`-th stack (a stack streams from one fleet); 0 for none. */
  fleets: number;
  images: number;
  streamingImages: number;
  /** Streaming images are spread evenly over this many studios. */
  studios: number;
  /** One image in this many declares `SharedWith` (its permissions cannot be read in bulk). */
  sharedImageEvery: number;
  /** Users of the user pool, each assigned to the first stack (everyone's) and to one other. */
  users: number;
  seed: number;
}

/** The account of the plan benchmark. */
export const PLAN_ACCOUNT: AccountShape = { stacks: 500, fleets: 125, images: 500, streamingImages: 500, studios: 5, sharedImageEvery: 10, users: 0, seed: 1 };

/** The plan account's mix at 300 resources: the account of each target in the targets benchmark. */
export const TARGET_ACCOUNT: AccountShape = { ...PLAN_ACCOUNT, stacks: 92, fleets: 23, images: 92, streamingImages: 93, seed: 5 };

/** The shape at 1/`scale` of its resources (`--quick`), keeping at least one fleet where it has fleets. */
export function scaledDown(shape: AccountShape, scale: number): AccountShape {
  return {
    ...shape,
    stacks: Math.round(shape.stacks / scale),
    fleets: Math.ceil(shape.fleets / scale),
    images: Math.round(shape.images / scale),
    streamingImages: Math.round(shape.streamingImages / scale),
  };
}

/** The account of the user-pool benchmark: its stacks and the pool, nothing else. */
export const USERS_ACCOUNT: AccountShape = { stacks: 40, fleets: 0, images: 0, streamingImages: 0, studios: 1, sharedImageEvery: 1, users: 2000, seed: 3 };

export const BENCH_PROJECT = 'bench';
export const SHARED_ACCOUNT_ID = '210987654321';

/** What the per-resource baseline knows up front, as a Terraform state would: names and ids. */
export interface Inventory {
  stacks: string[];
  fleets: string[];
  /** Terraform's aws_appstream_fleet_stack_association resources. */
  associations: { fleet: string; stack: string }[];
  images: string[];
  streamingImages: { studioId: string; streamingImageId: string }[];
}

/**
 * An account and the config that declares all of it. `initialState` (the emulator's state-file format)
 * holds the images, fleets, streaming images and users, which cannot be created from a config or take
 * minutes to, without owner tags or stack assignments; one apply of `config` adopts them, creates the
 * stacks with their fleet associations and assigns the users, leaving an account whose next plan is
 * "No changes".
 */
export interface Account {
  shape: AccountShape;
  config: Config;
  initialState: EmulatorStateFile;
  inventory: Inventory;
}

/** The subset of the emulator's state-file format this generator writes. */
export interface EmulatorStateFile {
  account: string;
  region: string;
  appstream: { stacks: StackState[]; fleets: FleetState[]; images: ImageState[]; users: NonNullable<EmulatorState['appstream']>['users'] };
  nimble: { studios: { studioId: string; streamingImages: StreamingImageState[] }[] };
}

const TEAMS = ['design', 'lighting', 'compositing', 'editorial', 'pipeline', 'finance', 'support'];

const pad = (i: number) => String(i).padStart(5, '0');
const fleetName = (k: number) => `fleet-${pad(k)}`;

export function generateAccount(shape: AccountShape, project = BENCH_PROJECT): Account {
  const random = seededRandom(shape.seed);
  const chance = (p: number) => random() < p;
  const team = () => TEAMS[Math.floor(random() * TEAMS.length)];

  const stacks = Array.from({ length: shape.stacks }, (_, i): StackConfig => {
    const owner = team();
    const name = `stack-${pad(i)}`;
    return {
      Name: name,
      DisplayName: `${owner} apps ${i}`,
      ...(chance(0.5) ? { Description: `Applications for the ${owner} team` } : {}),
      ...(chance(0.7) ? { StorageConnectors: storageConnectors(chance(0.2)) } : {}),
      ...(chance(0.5) ? { UserSettings: userSettings(chance(0.3)) } : {}),
      ...(chance(0.3) ? { ApplicationSettings: { Enabled: true, SettingsGroup: `${owner}-settings` } } : {}),
      ...(chance(0.3) ? { RedirectURL: `https://intranet.example.com/${name}` } : {}),
      ...(chance(0.2) ? { EmbedHostDomains: ['example.com', `${owner}.example.com`] } : {}),
      ...(shape.fleets ? { Fleets: [fleetName(i % shape.fleets)] } : {}),
      Tags: { team: owner, 'cost-center': `cc-${100 + (i % 7)}` },
    };
  });

  const images = Array.from({ length: shape.images }, (_, i): ImageConfig => ({
    Name: `image-${pad(i)}`,
    ...(i % shape.sharedImageEvery === 0 ? { SharedWith: [{ AccountId: SHARED_ACCOUNT_ID, AllowFleet: true, AllowImageBuilder: false }] } : {}),
    Tags: { team: team() },
  }));

  // Fleets stream from the account's own images (from a base image in an account without any).
  const fleets = Array.from({ length: shape.fleets }, (_, k): FleetConfig => ({
    Name: fleetName(k),
    InstanceType: 'stream.standard.medium',
    ImageName: images.length ? images[k % images.length].Name : 'AppStream-WinServer2022-06-17-2025',
    ComputeCapacity: { DesiredInstances: 1 + (k % 3) },
    MaxUserDurationInSeconds: 28_800,
    State: 'RUNNING',
    Tags: { team: team() },
  }));

  const teamStack = (i: number) => stacks[1 + (i % Math.max(1, stacks.length - 1))] ?? stacks[0];
  const users = Array.from({ length: shape.users }, (_, i): UserConfig => ({
    AuthenticationType: 'USERPOOL',
    UserName: `user-${pad(i)}@example.com`,
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    MessageAction: 'SUPPRESS',
    Stacks: [...new Set([stacks[0].Name, teamStack(i).Name])],
  }));

  const studioIds = Array.from({ length: shape.studios }, (_, k) => `stid-bench${k + 1}`);
  const streamingImages = Array.from({ length: shape.streamingImages }, (_, i): StreamingImageConfig & { id: string } => ({
    id: `si-${pad(i)}`,
    StudioId: studioIds[i % shape.studios],
    Name: `workstation-${pad(i)}`,
    Ec2ImageId: `ami-0${(0x1000000 + i).toString(16)}abcdef`,
    Description: `Workstation image ${i}`,
    Tags: { team: team() },
  }));

  const config: Config = {
    version: 1,
    project,
    region: 'us-east-1',
    stacks,
    ...(fleets.length ? { fleets } : {}),
    images,
    streamingImages: streamingImages.map(({ id: _id, ...declared }) => declared),
    ...(users.length ? { users } : {}),
  };
  const released = new Date(Date.UTC(2026, 0, 5)).toISOString();
  const initialState: EmulatorStateFile = {
    account: '123456789012',
    region: 'us-east-1',
    appstream: {
      stacks: [],
      fleets: fleets.map((fleet) => ({
        Name: fleet.Name,
        InstanceType: fleet.InstanceType,
        ImageName: fleet.ImageName,
        ComputeCapacityStatus: { Desired: fleet.ComputeCapacity!.DesiredInstances! },
        MaxUserDurationInSeconds: fleet.MaxUserDurationInSeconds,
        State: 'RUNNING',
      })),
      users: users.map(({ AuthenticationType, UserName, FirstName, LastName }) => ({ AuthenticationType, UserName, FirstName, LastName, Enabled: true, Status: 'CONFIRMED' })),
      images: images.map((image) => ({
        Name: image.Name,
        State: 'AVAILABLE',
        Visibility: 'PRIVATE',
        Platform: 'WINDOWS_SERVER_2022',
        PublicBaseImageReleasedDate: released,
        SharedImagePermissions: (image.SharedWith ?? []).map((share) => ({
          sharedAccountId: share.AccountId,
          imagePermissions: { allowFleet: share.AllowFleet, allowImageBuilder: share.AllowImageBuilder },
        })),
      })),
    },
    nimble: {
      studios: studioIds.map((studioId) => ({
        studioId,
        streamingImages: streamingImages
          .filter((image) => image.StudioId === studioId)
          .map((image) => ({
            streamingImageId: image.id,
            name: image.Name,
            ec2ImageId: image.Ec2ImageId,
            description: image.Description,
            state: 'READY',
          })),
      })),
    },
  };
  const inventory: Inventory = {
    stacks: stacks.map((s) => s.Name),
    fleets: fleets.map((f) => f.Name),
    associations: stacks.flatMap((s) => (s.Fleets ?? []).map((fleet) => ({ fleet, stack: s.Name }))),
    images: images.map((i) => i.Name),
    streamingImages: streamingImages.map((i) => ({ studioId: i.StudioId, streamingImageId: i.id })),
  };
  return { shape, config, initialState, inventory };
}

function storageConnectors(withDrive: boolean): StackConfig['StorageConnectors'] {
  return [{ ConnectorType: 'HOMEFOLDERS' }, ...(withDrive ? [{ ConnectorType: 'GOOGLE_DRIVE' as const, Domains: ['example.com'] }] : [])];
}

function userSettings(withClipboardLimit: boolean): StackConfig['UserSettings'] {
  return [
    { Action: 'FILE_DOWNLOAD', Permission: 'DISABLED' },
    { Action: 'PRINTING_TO_LOCAL_DEVICE', Permission: 'DISABLED' },
    ...(withClipboardLimit ? [{ Action: 'CLIPBOARD_COPY_TO_LOCAL_DEVICE', Permission: 'ENABLED' as const, MaximumLength: 1024 }] : []),
  ];
}

/** The account with its stacks already there and associated, as another tool would have left them: the user's tags, none of streamform's. */
export function withStacksCreated(account: Account): EmulatorStateFile {
  const declared = account.config.stacks ?? [];
  const stacks = declared.map(({ Tags, Fleets: _fleets, ...fields }): StackState => ({ ...fields, ...(Tags ? { Tags } : {}) }));
  const fleets = account.initialState.appstream.fleets.map((fleet) => ({
    ...fleet,
    AssociatedStacks: declared.filter((stack) => stack.Fleets?.includes(fleet.Name)).map((stack) => stack.Name),
  }));
  return { ...account.initialState, appstream: { ...account.initialState.appstream, stacks, fleets } };
}

/** The config as a YAML file, as a user would write it. */
export function configYaml(config: Config): string {
  return stringify(config, { lineWidth: 0 });
}

/** A config of `stacks` new stacks and nothing else (the apply benchmark's input). */
export function stacksOnlyConfig(stacks: number, seed: number, project = BENCH_PROJECT): Config {
  const { config } = generateAccount({ stacks, fleets: 0, images: 0, streamingImages: 0, studios: 1, sharedImageEvery: 1, users: 0, seed }, project);
  return { version: 1, project, region: config.region, stacks: config.stacks };
}
