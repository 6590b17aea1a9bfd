/** Normal forms of an AppStream image's managed parts (its shares and tags). */
import { asSet, userTags } from '../../normalize/values.js';

/** One account an image is shared with, in the config's terms. */
export interface NormalShare {
  AccountId: string;
  AllowFleet: boolean;
  AllowImageBuilder: boolean;
}

export interface NormalImage {
  /** By AccountId; undefined when unknown (not declared, or not read). */
  sharedWith?: Record<string, NormalShare>;
  tags: Record<string, string>;
}

/** DescribeImagePermissions' element, as the service names its members. */
export interface LiveShare {
  sharedAccountId?: string;
  imagePermissions?: { allowFleet?: boolean; allowImageBuilder?: boolean };
}

export function shareFromLive(share: LiveShare): NormalShare {
  return {
    AccountId: share.sharedAccountId ?? '',
    AllowFleet: share.imagePermissions?.allowFleet ?? false,
    AllowImageBuilder: share.imagePermissions?.allowImageBuilder ?? false,
  };
}

export function normalizeImage(values: { sharedWith?: NormalShare[] | null; tags?: Record<string, string> | null }): NormalImage {
  const shares = values.sharedWith === undefined ? undefined : (asSet(values.sharedWith, (s) => s.AccountId) ?? []);
  return {
    ...(shares ? { sharedWith: Object.fromEntries(shares.map((s) => [s.AccountId, { AccountId: s.AccountId, AllowFleet: s.AllowFleet, AllowImageBuilder: s.AllowImageBuilder }])) } : {}),
    tags: userTags(values.tags),
  };
}
