/**
 * The registry: every kind streamform manages, in the order plans, configs and reports list them.
 * Adding a kind is a folder beside these, one line here, its section of the schema and its
 * emulator resource (README, "Adding a kind").
 */
import { appBlockBuilderKind } from './app-block-builder/index.js';
import { fleetKind } from './fleet/index.js';
import { directoryConfigKind } from './directory-config/index.js';
import { entitlementKind } from './entitlement/index.js';
import { imageKind } from './image/index.js';
import { imageBuilderKind } from './image-builder/index.js';
import { stackKind } from './stack/index.js';
import { streamingImageKind } from './streaming-image/index.js';
import { userKind } from './user/index.js';
import { appBlockKind } from './app-block/index.js';
import { usageReportKind } from './usage-report/index.js';
import { applicationKind } from './application/index.js';
import type { KindDefinition } from './types.js';

export const KINDS: readonly KindDefinition[] = [stackKind, fleetKind, imageKind, imageBuilderKind, streamingImageKind, userKind, directoryConfigKind, appBlockKind, usageReportKind, entitlementKind, appBlockBuilderKind, applicationKind];

const BY_NAME = new Map(KINDS.map((kind) => [kind.name, kind]));

/** The kind of that name, or undefined. */
export function kindNamed(name: string): KindDefinition | undefined {
  return BY_NAME.get(name);
}

/** The kind of a plan address ("stack/design" → stack). */
export function kindOfAddress(address: string): KindDefinition | undefined {
  return BY_NAME.get(address.slice(0, address.indexOf('/')));
}

export type { KindDefinition } from './types.js';

/** The plan address of a declared resource of `kind`: its name and identity members ("streamingImage/<StudioId>/<Name>"). */
export function addressOf(kind: KindDefinition, member: (name: string) => unknown): string {
  if (kind.singleton) return `${kind.name}/${kind.singleton.address}`;
  return `${kind.name}/${kind.identity.map((name) => String(member(name))).join('/')}`;
}

/** What a config declares of `kind`, with the JSON pointer of each: its list's elements, or a singleton kind's one object. */
export function declarationsOf(kind: KindDefinition, config: object): { resource: Record<string, unknown>; pointer: string }[] {
  const declared = (config as Record<string, unknown>)[kind.list];
  if (kind.singleton) return declared === undefined ? [] : [{ resource: declared as Record<string, unknown>, pointer: `/${kind.list}` }];
  return ((declared as Record<string, unknown>[] | undefined) ?? []).map((resource, i) => ({ resource, pointer: `/${kind.list}/${i}` }));
}

/** What a waiter waits for, as the user knows it from the console ("READY"): its success states. */
export function waitLabel(waiter: string): string {
  for (const kind of KINDS) {
    const found = kind.waiters?.[waiter];
    if (found) return found.success.join(' or ');
  }
  return waiter;
}
