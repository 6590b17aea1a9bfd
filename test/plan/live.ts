/** In-memory live states for the pure stages' tests: what DescribeStacks & co. would have returned. */
import type { Image, Stack } from '@aws-sdk/client-appstream';
import type { StreamingImage } from '@aws-sdk/client-nimble';
import type { Config } from '../../src/config/types.js';
import { emptyLive as emptyLiveState } from '../../src/describe/index.js';
import type { LiveImage } from '../../src/kinds/image/live.js';
import type { LiveStack } from '../../src/kinds/stack/live.js';
import type { LiveState } from '../../src/core/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { isToolTag } from '../../src/core/ownership.js';
import type { Plan } from '../../src/core/plan.js';
import facts from '../../src/facts/appstream.json' with { type: 'json' };
import { loaded, NOW } from './helpers.js';

export const ACCOUNT = '123456789012';
export const arn = (type: string, name: string) => `arn:aws:appstream:us-east-1:${ACCOUNT}:${type}/${name}`;
export const USER_ACTIONS: string[] = facts.shapes.Action.enum;

export function emptyLive(): LiveState {
  return emptyLiveState();
}

export function planOf(cfg: Config, live: LiveState, options: { prune?: boolean; now?: Date } = {}): Plan {
  return buildPlan({ loaded: loaded(cfg), live, prune: options.prune ?? false, region: 'us-east-1', now: options.now ?? NOW });
}

/** A stack as DescribeStacks shows it: every user action listed (ENABLED unless given). */
export function liveStack(name: string, fields: Partial<Stack> = {}, tags: Record<string, string> = {}, fleets?: string[]): LiveStack {
  const given = new Map((fields.UserSettings ?? []).map((s) => [s.Action, s]));
  const UserSettings = USER_ACTIONS.map((Action) => given.get(Action as never) ?? { Action: Action as never, Permission: 'ENABLED' as const });
  return {
    stack: { Name: name, Arn: arn('stack', name), ApplicationSettings: { Enabled: false }, StorageConnectors: [], StackErrors: [], ...fields, UserSettings },
    tags,
    tagSource: 'resource',
    ...(fleets ? { fleets } : {}),
  };
}

export function liveImage(name: string, fields: Partial<Image> = {}, tags: Record<string, string> = {}, sharedWith?: LiveImage['sharedWith']): LiveImage {
  return { image: { Name: name, Arn: arn('image', name), State: 'AVAILABLE', Visibility: 'PRIVATE', ...fields }, tags, tagSource: 'resource', ...(sharedWith ? { sharedWith } : {}) };
}

export function liveStreamingImage(studioId: string, id: string, fields: Partial<StreamingImage> = {}): StreamingImage {
  return { streamingImageId: id, arn: `arn:aws:nimble:us-east-1:${ACCOUNT}:streaming-image/${id}`, owner: studioId, state: 'READY', tags: {}, ...fields };
}

/** streamform's own tags (owner and record) that applying `cfg` writes on `address`. */
export function toolTagsFor(cfg: Config, address: string, live: LiveState = emptyLive()): Record<string, string> {
  const calls = planOf(cfg, live).calls.filter((c) => c.address === address);
  for (const call of calls.reverse()) {
    const tags = (call.input.Tags ?? call.input.tags) as Record<string, string> | undefined;
    if (tags) return Object.fromEntries(Object.entries(tags).filter(([key]) => isToolTag(key)));
  }
  throw new Error(`no tags written on ${address}`);
}
