/**
 * What streamform writes on the resources it manages. There is no state file: ownership and the
 * last-applied record live in tags, so any machine can plan, and deleting a resource deletes its state.
 *
 *   streamform:project   = <project>                  owner; prune deletes only what carries this project
 *   streamform:applied   = <base64 JSON record>       split over streamform:applied.1, .2, … when longer
 *                                                     than a tag value may be (256 characters)
 */
/** Tag keys streamform reserves for itself; a config may not declare them. */
export const TOOL_TAG_PREFIX = 'streamform:';

export const OWNER_TAG = `${TOOL_TAG_PREFIX}project`;
export const RECORD_TAG = `${TOOL_TAG_PREFIX}applied`;
/** AppStream's limit per resource (the user's tags plus streamform's). */
export const MAX_TAGS = 50;
const MAX_TAG_VALUE = 256;

/**
 * What streamform applied last, kept short (one tag in the usual case). Only what three-way
 * diffing needs: the things the config managed, so that removing them from the config clears them.
 */
export interface AppliedRecord {
  /** Digest of the declared values: equal to the config's digest means "config unchanged since". */
  d: string;
  /** Managed attributes (stack attributes; "Description" for a streaming image). */
  a?: string[];
  /** Managed user tag keys. */
  t?: string[];
  /** Managed user-setting actions (stacks). */
  u?: string[];
  /** Associated fleets (stacks). */
  f?: string[];
  /** Accounts the image is shared with (images). */
  s?: string[];
}

const LIST_FIELDS = ['a', 't', 'u', 'f', 's'] as const;

export function ownerOf(tags: Record<string, string> | undefined): string | undefined {
  return tags?.[OWNER_TAG];
}

/** The record as tags: lists sorted and empty ones left out, so equal records give equal tags. */
export function recordTags(record: AppliedRecord): Record<string, string> {
  const compact: Record<string, unknown> = { d: record.d };
  for (const field of LIST_FIELDS) if (record[field]?.length) compact[field] = [...record[field]!].sort();
  const encoded = Buffer.from(JSON.stringify(compact)).toString('base64');
  const tags: Record<string, string> = {};
  for (let i = 0; i * MAX_TAG_VALUE < encoded.length; i++) {
    tags[chunkKey(i)] = encoded.slice(i * MAX_TAG_VALUE, (i + 1) * MAX_TAG_VALUE);
  }
  return tags;
}

/** The record read back from a resource's tags; undefined when there is none or it is unreadable. */
export function readRecord(tags: Record<string, string> | undefined): AppliedRecord | undefined {
  if (!tags?.[RECORD_TAG]) return undefined;
  let encoded = '';
  for (let i = 0; tags[chunkKey(i)] !== undefined; i++) encoded += tags[chunkKey(i)];
  try {
    const record = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as AppliedRecord;
    const valid = typeof record.d === 'string' && LIST_FIELDS.every((f) => record[f] === undefined || (Array.isArray(record[f]) && record[f]!.every((v) => typeof v === 'string')));
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The record of a resource this project owns; a record on anything else is not ours to trust. */
export function ownRecord(project: string, tags: Record<string, string> | undefined): AppliedRecord | undefined {
  return ownerOf(tags) === project ? readRecord(tags) : undefined;
}

/** The tags streamform keeps on a resource it manages. */
export function toolTags(project: string, record: AppliedRecord): Record<string, string> {
  return { [OWNER_TAG]: project, ...recordTags(record) };
}

export function isToolTag(key: string): boolean {
  return key.startsWith(TOOL_TAG_PREFIX);
}

function chunkKey(index: number): string {
  return index === 0 ? RECORD_TAG : `${RECORD_TAG}.${index}`;
}

/** A resource's tags, streamform's own included. */
export type Tags = Record<string, string>;
