import type { Problem } from './diagnostics.js';
import { childPointer } from './pointer.js';
import { TOOL_TAG_PREFIX } from '../core/ownership.js';
import { KINDS } from '../kinds/index.js';
import { listsAt, SET_LISTS, valuesAt } from './sets.js';


/** AWS account IDs always have 12 digits; the model only says "digits". */
const ACCOUNT_ID = /^[0-9]{12}$/;

/**
 * Checks the schema cannot express, on the merged config of all files. The config may still be
 * invalid against the schema, so every check skips values of the wrong type.
 * `where` names the place of a pointer for a message about another one: "line 12", or "a.yaml:12"
 * when they are in different files.
 */
export function ruleProblems(config: unknown, where: (pointer: string, from: string) => string): Problem[] {
  return [...duplicates(config, where), ...reservedTags(config), ...accountIds(config)];
}

function duplicates(config: unknown, where: (pointer: string, from: string) => string): Problem[] {
  const problems: Problem[] = [];
  for (const set of SET_LISTS) {
    for (const { pointer, list } of listsAt(config, set.path)) {
      const first = new Map<string, number>();
      list.forEach((element, index) => {
        const key = set.key(element);
        if (key === undefined) return;
        const earlier = first.get(key);
        if (earlier === undefined) {
          first.set(key, index);
          return;
        }
        const at = childPointer(pointer, index);
        problems.push({ pointer: at, message: `${set.noun} ${JSON.stringify(key)} is declared twice (first at ${where(childPointer(pointer, earlier), at)})` });
      });
    }
  }
  return problems;
}

function reservedTags(config: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const kind of KINDS) {
    for (const { pointer, value: tags } of valuesAt(config, [kind.list, '*', 'Tags'])) {
      if (typeof tags !== 'object' || tags === null) continue;
      for (const key of Object.keys(tags).filter((k) => k.startsWith(TOOL_TAG_PREFIX))) {
        problems.push({ pointer: childPointer(pointer, key), key: true, message: `tag keys starting with ${TOOL_TAG_PREFIX} are reserved for streamform` });
      }
    }
  }
  return problems;
}

function accountIds(config: unknown): Problem[] {
  const problems: Problem[] = [];
  for (const { pointer, value: id } of valuesAt(config, ['images', '*', 'SharedWith', '*', 'AccountId'])) {
    if (typeof id === 'string' && /^[0-9]+$/.test(id) && !ACCOUNT_ID.test(id)) {
      problems.push({ pointer, message: `AWS account IDs have 12 digits, found ${id.length}` });
    }
  }
  return problems;
}
