/**
 * From what an account has to a config that declares it: pure, no AWS. Each declared value is the
 * live value in normal form (the form the plan compares), and only values that differ from the
 * service default are declared, so that planning the result right away shows no changes (apart from
 * adopting resources no streamform project owns yet).
 *
 * What is declared, and why:
 * - stacks: all of them, with every attribute that differs from the default, their fleets and tags;
 * - images: private, AVAILABLE images that are shared or tagged (the only things streamform manages
 *   on an image). An image with neither would be an empty declaration; it is listed in a comment;
 * - streaming images: those the studio owns (not the ones AWS provides), one per name and studio.
 * Resources owned by another streamform project are never declared. A resource this project
 * already owns declares exactly what its last apply managed (the record in its tags), so that the
 * plan finds the same declaration; other values set on it are named in a comment.
 */
import type { Config } from '../config/types.js';
import { KINDS } from '../kinds/index.js';
import type { ImportContext, Selection } from '../kinds/types.js';
import { sortedBy } from '../kinds/resource.js';
import { sameValue } from '../normalize/values.js';
import { ownerOf, readRecord, type AppliedRecord } from '../core/ownership.js';
import type { LiveState } from '../core/live.js';

export interface ImportOptions {
  project: string;
  region: string;
}

/** Something the reader of the imported file should know about one resource. */
export interface ImportNote {
  address: string;
  message: string;
  /** Declared resources carry their note as a comment; the others are listed as left out. */
  declared: boolean;
  /** In a merge of several targets' imports: the targets it is about, when not all of them. */
  targets?: string[];
}

export interface ImportResult {
  config: Config;
  notes: ImportNote[];
  /** In a merge of several targets' imports: what could not be merged, and what was done instead. */
  unmerged?: ImportNote[];
  /**
   * By address, what a merge of targets may fill in from here where other targets set a member:
   * for a resource no project owns yet, every value it has, defaults included (declaring a default
   * it has changes nothing); for one this project owns, the lists it does not declare, as it has
   * them (none at all when absent), since its record cannot tell a list declared empty from one not
   * declared, and declaring what it has removes nothing.
   */
  complete?: ReadonlyMap<string, Record<string, unknown>>;
}

export function buildImport(live: LiveState, options: ImportOptions): ImportResult {
  const notes: ImportNote[] = live.errors.map((error) => ({ address: error.address, message: `could not be read: ${error.message}`, declared: false }));
  const leaveOut = (address: string, message: string) => void notes.push({ address, message, declared: false });
  const note = (address: string, message: string) => void notes.push({ address, message, declared: true });
  /** Whether this project may declare a resource with these tags; notes why not, or that it will be adopted. */
  const claim = (address: string, tags: Record<string, string> | undefined): boolean => {
    const owner = ownerOf(tags);
    if (owner !== undefined && owner !== options.project) {
      leaveOut(address, `owned by the streamform project "${owner}"`);
      return false;
    }
    if (owner === undefined) note(address, 'no streamform project owns it yet: the first apply adopts it');
    return true;
  };
  const complete = new Map<string, Record<string, unknown>>();
  const ctx: ImportContext = {
    project: options.project,
    note,
    leaveOut,
    unrecorded: selection(undefined),
    /** The resource's declaration, or undefined when it is not this project's to declare. */
    declare: (address, tags, build) => {
      if (!claim(address, tags)) return undefined;
      const record = ownerOf(tags) === options.project ? readRecord(tags) : undefined;
      const declared = build(selection(record));
      const every = build(EVERY_VALUE) as Record<string, unknown>;
      complete.set(address, record ? listsLeftOut(every, declared as Record<string, unknown>) : every);
      const extra = record ? unmanaged(build(selection(undefined)), declared) : [];
      if (extra.length) note(address, `also set, but not managed by this project (declare it to manage it): ${extra.join(', ')}`);
      return declared;
    },
  };
  const config: Record<string, unknown> = { version: 1, project: options.project, region: options.region };
  for (const kind of KINDS) {
    const declarations = kind.import(live, ctx);
    if (declarations.length) config[kind.list] = kind.singleton ? declarations[0] : declarations;
  }
  return { config: config as unknown as Config, notes: sortedBy(notes, (n) => n.address), complete };
}

/** Every value a resource has; user settings as declared (the list keeps its items). */
const EVERY_VALUE: Selection = {
  attribute: (_, normal) => normal !== undefined && normal !== null,
  userSetting: (_, isDefault) => !isDefault,
  tag: () => true,
  list: () => true,
};

/**
 * Which live values a resource declares. Without a record: those that differ from the service
 * default. With the record of this project's last apply: exactly what that apply managed, default
 * or not, so that the plan finds the same declaration (and record) and has nothing to do.
 */
function selection(record: AppliedRecord | undefined): Selection {
  if (!record) {
    return {
      attribute: (_, normal, fallback) => normal !== undefined && !sameValue(normal, fallback),
      userSetting: (_, isDefault) => !isDefault,
      tag: () => true,
      list: () => true,
    };
  }
  return {
    attribute: (name) => record.a?.includes(name) ?? false,
    userSetting: (action) => record.u?.includes(action) ?? false,
    tag: (key) => record.t?.includes(key) ?? false,
    list: (field) => (record[field]?.length ?? 0) > 0,
  };
}

/** The members of `full` that are lists and that `declared` leaves out. */
function listsLeftOut(full: Record<string, unknown>, declared: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(full).filter(([key, value]) => Array.isArray(value) && !(key in declared)));
}

/** Live values left undeclared on a resource this project owns: its config did not manage them. */
function unmanaged(full: object, declared: object): string[] {
  return Object.entries(full)
    .filter(([key, value]) => !sameValue(value, (declared as Record<string, unknown>)[key]))
    .map(([key]) => key);
}
