/**
 * What streamform writes on the resources it manages. There is no state file: ownership and the
 * last-applied record live in tags, so any machine can plan, and deleting a resource deletes its state.
 *
 *   streamform:project   = <project>          owner; prune deletes only what carries this project
 *   streamform:applied   = <record>           what the last apply managed: always one tag value
 *
 * streamform's own tags never cost more than two of the 50 AWS allows. The record is a few bytes
 * in base64 (format 2, below); a record of the earlier format (base64 JSON split over
 * streamform:applied, .1, .2, …) is still read, and replaced the next time the record changes.
 */
import { createHash } from 'node:crypto';
import { remembered } from './memo.js';
import appstreamFacts from '../facts/appstream.json' with { type: 'json' };

/** Tag keys streamform reserves for itself; a config may not declare them. */
export const TOOL_TAG_PREFIX = 'streamform:';

export const OWNER_TAG = `${TOOL_TAG_PREFIX}project`;
export const RECORD_TAG = `${TOOL_TAG_PREFIX}applied`;
/** AppStream's limit per resource (the user's tags plus streamform's). */
export const MAX_TAGS = 50;
/** The longest tag value AWS accepts. */
export const MAX_TAG_VALUE = 256;

/**
 * What streamform applied last: only what three-way diffing needs, the things the config managed,
 * so that removing them from the config clears them.
 */
export interface AppliedRecord {
  /** Digest of the declared values: equal to the config's digest means "config unchanged since". */
  d: string;
  /** Managed attributes (stack attributes; "Description" for a streaming image). */
  a?: string[];
  /**
   * Managed user tag keys. When they are too long to keep by name, the record keeps a short hash of
   * each, and reads back only those of the resource's own keys that match one.
   */
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

/*
 * Format 2, the record's bytes:
 *
 *   0x02                        the format
 *   name                        the digest `d`
 *   letter count name…          a non-empty list (in the order a t u f s), its names sorted
 *   LETTER width count hash…    a list kept as the first `width` bytes of each name's SHA-256,
 *                               whose names the reader finds again among candidates (candidatesOf)
 *
 *   a name is one byte b, then:
 *     0x00–0x7E   b bytes of UTF-8 text (0x7F: their count is in the next two bytes)
 *     0x80–0xBF   a string of b − 0x80 decimal digits (account ids), as one big-endian integer
 *     0xC0–0xFF   a string of lowercase hex digits (the digest), as its b − 0xC0 bytes
 *   a count is one byte (0xFF: the count is in the next two bytes)
 */
const FORMAT = 2;
const LONG_TEXT = 0x7f;
const DIGITS = 0x80;
const HEX = 0xc0;
const LONG_COUNT = 0xff;
/** Tag keys are hashed only when their names do not fit, as wide as fits. */
const TAG_HASH_WIDTHS = [6, 5, 4, 3, 2];

/**
 * The service's own names (the members of every create request, which name the attributes of every
 * kind, the streaming image's Description among them, and the user-setting actions): a list of them
 * is always kept by hash, two bytes each, since their full names would not fit one tag together. No
 * two share a hash (a test checks it).
 */
const shapes = appstreamFacts.shapes as Record<string, { members?: Record<string, unknown> }>;
const VOCABULARY: readonly string[] = [
  ...new Set([
    ...Object.keys(shapes)
      .filter((name) => /^Create\w+Request$/.test(name))
      .flatMap((name) => Object.keys(shapes[name].members ?? {})),
    ...appstreamFacts.shapes.Action.enum,
    // The properties that are streamform's own.
    'State',
    'LatestImage',
    'IgnoreChanges',
  ]),
];
const VOCABULARY_WIDTH = 2;
const BY_VOCABULARY: ReadonlySet<Field> = new Set(['a', 'u']);

type Field = (typeof LIST_FIELDS)[number];

/** How many bytes hold an integer of `digits` decimal digits. */
const digitBytes = (digits: number) => Math.ceil((digits * Math.log2(10)) / 8);

/** A length in one byte, or `escape` and two bytes. */
const sized = (n: number, escape: number) => (n < escape ? [n] : [escape, n >> 8, n & 0xff]);

function nameBytes(name: string): number[] {
  if (/^\d+$/.test(name) && name.length < HEX - DIGITS) {
    const size = digitBytes(name.length);
    const value = BigInt(name);
    return [DIGITS + name.length, ...Array.from({ length: size }, (_, i) => Number((value >> BigInt(8 * (size - 1 - i))) & 0xffn))];
  }
  if (/^([0-9a-f]{2})+$/.test(name) && name.length / 2 <= 0xff - HEX) return [HEX + name.length / 2, ...Buffer.from(name, 'hex')];
  const text = [...Buffer.from(name, 'utf8')];
  return [...sized(text.length, LONG_TEXT), ...text];
}

const nameHash = (name: string, width: number) => createHash('sha256').update(name, 'utf8').digest().subarray(0, width);

const hashHex = (name: string, width: number) => nameHash(name, width).toString('hex');

/** The vocabulary's hashes at VOCABULARY_WIDTH, both ways, computed once: every record written or read looks them up. */
let vocabularyHashes: { byName: ReadonlyMap<string, Buffer>; byHash: ReadonlyMap<string, string> } | undefined;

function vocabulary() {
  if (!vocabularyHashes) {
    const byName = new Map(VOCABULARY.map((name) => [name, nameHash(name, VOCABULARY_WIDTH)]));
    vocabularyHashes = { byName, byHash: new Map([...byName].map(([name, hash]) => [hash.toString('hex'), name])) };
  }
  return vocabularyHashes;
}

/** A hashed list of tag keys, found again among the resource's own keys: those whose hash the list holds. */
function hashedTagKeys(width: number, hashes: ReadonlySet<string>, tags: Record<string, string>): string[] {
  return Object.keys(tags).filter((key) => !isToolTag(key) && hashes.has(hashHex(key, width)));
}

/** A hashed list of the service's names, found again in the vocabulary. */
function hashedVocabulary(width: number, hashes: ReadonlySet<string>): string[] {
  // No two vocabulary names share a hash at the width records are written with; any other width is hashed name by name.
  if (width !== VOCABULARY_WIDTH) return VOCABULARY.filter((name) => hashes.has(hashHex(name, width)));
  const { byHash } = vocabulary();
  return [...hashes].flatMap((hash) => byHash.get(hash) ?? []);
}

/** The record's bytes, with the tag keys hashed `tagWidth` bytes wide (undefined: by name). */
function encode(record: AppliedRecord, tagWidth?: number): Buffer {
  const bytes = [FORMAT, ...nameBytes(record.d)];
  for (const field of LIST_FIELDS) {
    const list = [...new Set(record[field] ?? [])].sort();
    if (!list.length) continue;
    // The service's names by hash, anything else (a digest a kind keeps among its attributes) by name.
    const hashed = field === 't' ? (tagWidth ? list : []) : BY_VOCABULARY.has(field) ? list.filter((name) => vocabulary().byName.has(name)) : [];
    const named = list.filter((name) => !hashed.includes(name));
    const width = field === 't' ? tagWidth! : VOCABULARY_WIDTH;
    if (named.length) bytes.push(field.charCodeAt(0), ...sized(named.length, LONG_COUNT), ...named.flatMap(nameBytes));
    if (hashed.length) bytes.push(field.toUpperCase().charCodeAt(0), width, ...sized(hashed.length, LONG_COUNT), ...hashed.flatMap((name) => [...(field === 't' ? nameHash(name, width) : vocabulary().byName.get(name)!)]));
  }
  return Buffer.from(bytes);
}

/**
 * The record as tags: one tag, equal records giving equal values. The tag keys are kept by name
 * when everything fits one tag value, else by hashes as wide as fit. When nothing fits (a record
 * of very many fleets or shares), the value is longer than AWS allows and the plan refuses it.
 */
export function recordTags(record: AppliedRecord): Record<string, string> {
  return { [RECORD_TAG]: encodedValue(record) };
}

function encodedValue(record: AppliedRecord): string {
  let encoded = encode(record).toString('base64');
  for (const width of TAG_HASH_WIDTHS) {
    if (encoded.length <= MAX_TAG_VALUE || !record.t?.length) break;
    encoded = encode(record, width).toString('base64');
  }
  return encoded;
}

/** The record read back from a resource's tags; undefined when there is none or it is unreadable. */
export function readRecord(tags: Record<string, string> | undefined): AppliedRecord | undefined {
  const value = tags?.[RECORD_TAG];
  if (!value) return undefined;
  const decoded = remembered(decodedRecords, value, () => {
    const bytes = Buffer.from(value, 'base64');
    return bytes[0] === FORMAT ? readCompact(bytes) : 'earlier format';
  });
  if (decoded === 'earlier format') return readJson(tags!);
  if (!decoded?.tagHashes) return decoded?.record;
  const { width, hashes } = decoded.tagHashes;
  return { ...decoded.record, t: [...(decoded.record.t ?? []), ...hashedTagKeys(width, hashes, tags!)].sort() };
}

/**
 * A record decoded from its value alone: a list of tag keys kept by hash is found again among each
 * resource's own keys when it is read, so it stays hashes here.
 */
interface Decoded {
  record: Readonly<AppliedRecord>;
  tagHashes?: { width: number; hashes: ReadonlySet<string> };
}

/**
 * Records by their tag value: a plan reads each resource's record more than once, and a config of
 * targets reads the same records in every target. (A declaration's own record is encoded once, by
 * the kind's perDeclaration.)
 */
const decodedRecords = new Map<string, Decoded | 'earlier format' | undefined>();

/** Format 2. */
function readCompact(bytes: Buffer): Decoded | undefined {
  let at = 1;
  const next = () => {
    if (at >= bytes.length) throw new RangeError('truncated record');
    return bytes[at++];
  };
  const take = (size: number) => {
    if (at + size > bytes.length) throw new RangeError('truncated record');
    return bytes.subarray(at, (at += size));
  };
  const size = (escape: number) => {
    const n = next();
    return n < escape ? n : (next() << 8) | next();
  };
  const name = (): string => {
    if (bytes[at] < DIGITS) return take(size(LONG_TEXT)).toString('utf8');
    const b = next();
    if (b >= HEX) return take(b - HEX).toString('hex');
    const digits = b - DIGITS;
    const text = BigInt(`0x0${take(digitBytes(digits)).toString('hex')}`).toString();
    if (text.length > digits) throw new RangeError('number too long');
    return text.padStart(digits, '0');
  };
  try {
    const record: AppliedRecord = { d: name() };
    let tagHashes: Decoded['tagHashes'];
    while (at < bytes.length) {
      const letter = String.fromCharCode(next());
      const field = LIST_FIELDS.find((f) => f === letter.toLowerCase());
      if (!field) return undefined;
      // A list may come in two parts, by name and by hash: they add up.
      const earlier = record[field] ?? [];
      if (letter === field) {
        record[field] = [...earlier, ...Array.from({ length: size(LONG_COUNT) }, name)].sort();
        continue;
      }
      const width = next();
      const hashes = new Set(Array.from({ length: size(LONG_COUNT) }, () => take(width).toString('hex')));
      if (field === 't') tagHashes = { width, hashes };
      else record[field] = [...earlier, ...hashedVocabulary(width, hashes)].sort();
    }
    // Shared by every reader: frozen, so that none can change what the others read.
    for (const field of LIST_FIELDS) Object.freeze(record[field]);
    return { record: Object.freeze(record), ...(tagHashes ? { tagHashes } : {}) };
  } catch {
    return undefined;
  }
}

/** The earlier format: base64 JSON, split over numbered tags when longer than one value. */
function readJson(tags: Record<string, string>): AppliedRecord | undefined {
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

/**
 * The tool tags to keep on a resource: `tool`, unless the resource carries a record of the earlier
 * format that says the same, which is kept as it is (upgrading streamform alone changes nothing).
 */
export function keptToolTags(live: Record<string, string>, tool: Record<string, string>): Record<string, string> {
  const value = live[RECORD_TAG];
  if (!value || Buffer.from(value, 'base64')[0] === FORMAT) return tool;
  const previous = readRecord(live);
  if (!previous || recordTags(previous)[RECORD_TAG] !== tool[RECORD_TAG]) return tool;
  const earlier = Object.entries(live).filter(([key]) => key === RECORD_TAG || key.startsWith(`${RECORD_TAG}.`));
  return { ...tool, ...Object.fromEntries(earlier) };
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
