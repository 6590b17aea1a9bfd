import { stringify } from 'yaml';
import type { Config, ImageConfig, StackConfig, StreamingImageConfig } from '../src/config/types.js';
import type { ImageState, StackState, StreamingImageState } from '../src/emulator/index.js';
import { seededRandom } from '../src/emulator/random.js';

/** How big an account is and how it is shaped. */
export interface AccountShape {
  stacks: number;
  images: number;
  streamingImages: number;
  /** Streaming images are spread evenly over this many studios. */
  studios: number;
  /** One image in this many declares `SharedWith` (its permissions cannot be read in bulk). */
  sharedImageEvery: number;
  seed: number;
}

/** The account of the plan benchmark. */
export const PLAN_ACCOUNT: AccountShape = { stacks: 500, images: 500, streamingImages: 500, studios: 5, sharedImageEvery: 10, seed: 1 };

export const BENCH_PROJECT = 'bench';
export const SHARED_ACCOUNT_ID = '210987654321';

/** What the per-resource baseline knows up front, as a Terraform state would: names and ids. */
export interface Inventory {
  stacks: string[];
  images: string[];
  streamingImages: { studioId: string; streamingImageId: string }[];
}

/**
 * An account and the config that declares all of it. `initialState` (the emulator's state-file format)
 * holds the images and streaming images, which cannot be created from a config or take minutes to,
 * without owner tags; one apply of `config` adopts them and creates the stacks, leaving an account
 * whose next plan is "No changes".
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
  appstream: { stacks: StackState[]; fleets: []; images: ImageState[] };
  nimble: { studios: { studioId: string; streamingImages: StreamingImageState[] }[] };
}

const TEAMS = ['design', 'lighting', 'compositing', 'editorial', 'pipeline', 'finance', 'support'];

const pad = (i: number) => String(i).padStart(5, '0');

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
      Tags: { team: owner, 'cost-center': `cc-${100 + (i % 7)}` },
    };
  });

  const images = Array.from({ length: shape.images }, (_, i): ImageConfig => ({
    Name: `image-${pad(i)}`,
    ...(i % shape.sharedImageEvery === 0 ? { SharedWith: [{ AccountId: SHARED_ACCOUNT_ID, AllowFleet: true, AllowImageBuilder: false }] } : {}),
    Tags: { team: team() },
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
    images,
    streamingImages: streamingImages.map(({ id: _id, ...declared }) => declared),
  };
  const released = new Date(Date.UTC(2026, 0, 5)).toISOString();
  const initialState: EmulatorStateFile = {
    account: '123456789012',
    region: 'us-east-1',
    appstream: {
      stacks: [],
      fleets: [],
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

/** The account with its stacks already there, as another tool would have left them: the user's tags, none of streamform's. */
export function withStacksCreated(account: Account): EmulatorStateFile {
  const stacks = (account.config.stacks ?? []).map(({ Tags, ...fields }): StackState => ({ ...fields, ...(Tags ? { Tags } : {}) }));
  return { ...account.initialState, appstream: { ...account.initialState.appstream, stacks } };
}

/** The config as a YAML file, as a user would write it. */
export function configYaml(config: Config): string {
  return stringify(config, { lineWidth: 0 });
}

/** A config of `stacks` new stacks and nothing else (the apply benchmark's input). */
export function stacksOnlyConfig(stacks: number, seed: number, project = BENCH_PROJECT): Config {
  const { config } = generateAccount({ stacks, images: 0, streamingImages: 0, studios: 1, sharedImageEvery: 1, seed }, project);
  return { version: 1, project, region: config.region, stacks: config.stacks };
}
