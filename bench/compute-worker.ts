/**
 * The compute benchmark's child process.
 *   prepare N FILE  writes a config of N resources and the live state of an account where it was
 *                   applied, then changed here and there (see `perturb`), as JSON
 *   plan FILE       reads it and prints, as JSON, how long buildPlan took and the process's peak RSS
 * Preparing in another process keeps its memory out of the peak that is measured.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Image } from '@aws-sdk/client-appstream';
import type { StreamingImage } from '@aws-sdk/client-nimble';
import type { Config, LoadedConfig } from '../src/config/types.js';
import { emptyLive } from '../src/describe/index.js';
import type { LiveState } from '../src/core/live.js';
import { Store } from '../src/emulator/state.js';
import { buildPlan } from '../src/plan/build.js';
import { OWNER_TAG } from '../src/core/ownership.js';
import type { PlanSummary } from '../src/core/plan.js';
import { BENCH_PROJECT, generateAccount, withStacksCreated } from './account.js';
import type { ComputeSample } from './scenarios/compute.js';

/** One in this many declared stacks and streaming images gets changed in the config, one in this many stacks drifts. */
const CHANGE_EVERY = 25;
const REGION = 'us-east-1';
const NOW = new Date(Date.UTC(2026, 5, 1));
/** Timestamps the SDK parses into Date; JSON turns them into strings. */
const DATE_MEMBERS = new Set(['CreatedTime', 'PublicBaseImageReleasedDate', 'LastModifiedTime']);

interface Prepared {
  config: Config;
  live: LiveState;
  /** The plan summary the perturbations call for. */
  expected: PlanSummary;
}

const loadedOf = (config: Config): LoadedConfig => ({ config, files: ['synthetic.yaml'], locate: () => ({ file: 'synthetic.yaml', line: 1, column: 1 }) });

function prepare(resources: number): Prepared {
  const images = Math.round(resources * 0.3);
  const account = generateAccount({ stacks: resources - 2 * images, fleets: 0, images, streamingImages: images, studios: 10, sharedImageEvery: 10, users: 0, seed: 5 });
  const { config } = account;
  // The emulator's own store fills each resource in as the service would.
  const live = liveState(new Store(withStacksCreated(account), 0, 1), config);
  adopt(live, config);
  return perturb(config, live);
}

/** What describeLive would read from the store's account: SDK shapes, tags read in bulk. */
function liveState(store: Store, config: Config): LiveState {
  const state = store.toState();
  const shared = new Set((config.images ?? []).filter((image) => image.SharedWith).map((image) => image.Name));
  const live: LiveState = emptyLive();
  for (const { Tags, ...stack } of state.appstream?.stacks ?? []) live.stacks[stack.Name] = { stack: withDates(stack), tags: Tags ?? {}, tagSource: 'bulk' };
  for (const { Tags, SharedImagePermissions, ...image } of state.appstream?.images ?? []) {
    live.images[image.Name] = {
      image: withDates(image) as Image,
      tags: Tags ?? {},
      tagSource: 'bulk',
      ...(shared.has(image.Name) ? { sharedWith: SharedImagePermissions ?? [] } : {}),
    };
  }
  for (const studio of state.nimble?.studios ?? []) live.streamingImages[studio.studioId] = (studio.streamingImages ?? []) as StreamingImage[];
  return live;
}

function withDates<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, DATE_MEMBERS.has(k) && typeof v === 'number' ? new Date(v * 1000) : v])) as T;
}

/** The first plan adopts every resource; its tag calls are carried out on the live state, as apply would. */
function adopt(live: LiveState, config: Config): void {
  const byArn = new Map<string, Record<string, string>>();
  for (const { stack, tags } of Object.values(live.stacks)) byArn.set(stack.Arn!, tags!);
  for (const { image, tags } of Object.values(live.images)) byArn.set(image.Arn!, tags!);
  for (const image of Object.values(live.streamingImages).flat()) byArn.set(image.arn!, (image.tags ??= {}));
  const plan = buildPlan({ loaded: loadedOf(config), live, prune: false, region: REGION, now: NOW });
  const others = plan.calls.filter((call) => call.operation !== 'TagResource');
  if (others.length) throw new Error(`adopting the synthetic account planned ${others[0].operation} for ${others[0].address}: it does not match its config`);
  for (const { input } of plan.calls) Object.assign(byArn.get((input.ResourceArn ?? input.resourceArn) as string)!, input.Tags ?? input.tags);
}

/** Changes the config and the account so the measured plan creates, updates (from config and from drift) and deletes. */
function perturb(config: Config, live: LiveState): Prepared {
  const stacks = config.stacks ?? [];
  const streamingImages = config.streamingImages ?? [];
  let update = 0;
  stacks.forEach((stack, i) => {
    if (i % CHANGE_EVERY === 0) {
      stack.DisplayName = `${stack.DisplayName} (renamed)`;
      update++;
    } else if (i % CHANGE_EVERY === 1) {
      live.stacks[stack.Name].stack.DisplayName = 'changed outside streamform';
      update++;
    }
  });
  streamingImages.forEach((image, i) => {
    if (i % CHANGE_EVERY === 0) {
      image.Description = `${image.Description} (revised)`;
      update++;
    }
  });
  const extra = Math.max(1, Math.round(stacks.length / 40));
  const template = live.stacks[stacks[0].Name];
  for (let i = 0; i < extra; i++) {
    stacks.push({ Name: `new-stack-${i}`, DisplayName: `new stack ${i}` });
    const Name = `retired-stack-${i}`;
    live.stacks[Name] = { ...template, stack: { ...template.stack, Name, Arn: template.stack.Arn!.replace(/stack\/.*$/, `stack/${Name}`) }, tags: { [OWNER_TAG]: BENCH_PROJECT } };
  }
  return { config, live, expected: { create: extra, update, replace: 0, delete: extra } };
}

function plan(file: string): ComputeSample {
  const { config, live, expected } = JSON.parse(readFileSync(file, 'utf8'), (key, value) =>
    DATE_MEMBERS.has(key) && typeof value === 'string' ? new Date(value) : value,
  ) as Prepared;
  const loaded = loadedOf(config);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = buildPlan({ loaded, live, prune: true, region: REGION, now: NOW });
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const declared = (config.stacks?.length ?? 0) + (config.images?.length ?? 0) + (config.streamingImages?.length ?? 0);
  return {
    resources: declared + expected.delete,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    changes: result.changes.filter((change) => change.action !== 'no-op').length,
    calls: result.calls.length,
    summary: result.summary,
    expected,
    errors: result.diagnostics.filter((d) => d.severity === 'error').length,
  };
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'prepare') writeFileSync(args[1], JSON.stringify(prepare(Number(args[0]))));
else if (mode === 'plan') process.stdout.write(JSON.stringify(plan(args[0])) + '\n');
else throw new Error('usage: compute-worker prepare N FILE | plan FILE');
