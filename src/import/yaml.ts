/**
 * The imported config as the YAML a person keeps in Git: the schema modeline for editors, a header
 * that says what was never declared and which resources were left out and why, and a comment on
 * each declared resource that needs one (adoption, stack errors).
 */
import { addressOf, KINDS } from '../kinds/index.js';
import { Document, isMap, isSeq, type Node } from 'yaml';
import type { Config } from '../config/types.js';
import type { ImportNote, ImportResult } from './build.js';

export interface ImportYamlOptions {
  /** Path or URL of the JSON Schema, for the `yaml-language-server` modeline. */
  schema: string;
  /** The studios that were read, if any. */
  studios: string[];
}

export function renderImportYaml({ config, notes, unmerged = [] }: ImportResult, options: ImportYamlOptions): string {
  const document = new Document(config);
  const everyTarget = config.targets?.map((target) => target.name) ?? [];
  for (const kind of KINDS) {
    const list = document.get(kind.list);
    if (!isSeq(list)) continue;
    for (const item of list.items as Node[]) {
      if (!isMap(item)) continue;
      const address = addressOf(kind, (name) => item.get(name));
      const goesTo = (item.toJSON() as { Targets?: string[] }).Targets ?? everyTarget;
      const messages = notes.filter((n) => n.declared && n.address === address).flatMap((n) => commentOf(n, goesTo));
      if (messages.length) item.commentBefore = messages.map((m) => ` ${m}`).join('\n');
    }
  }
  document.commentBefore = header(config, notes.filter((n) => !n.declared), unmerged, options);
  return `# yaml-language-server: $schema=${options.schema}\n` + document.toString({ lineWidth: 0 });
}

/** A note on a declared resource, for the copy that goes to `goesTo`: naming its targets unless it is about all of them. */
function commentOf(note: ImportNote, goesTo: string[]): string[] {
  if (!note.targets) return [note.message];
  const about = goesTo.filter((name) => note.targets!.includes(name));
  if (about.length === 0) return [];
  return [about.length === goesTo.length ? note.message : `target ${about.join(', ')}: ${note.message}`];
}

function header(config: Config, leftOut: ImportNote[], unmerged: ImportNote[], { studios }: ImportYamlOptions): string {
  const targets = config.targets?.map((target) => target.name);
  const lines = [
    `Written by \`streamform import\`${targets ? ` from the targets ${targets.join(', ')}` : ''}${studios.length ? ` (studios ${studios.join(', ')})` : ' (no Nimble studio named, so no streaming images)'}.`,
    'Only values that differ from the service defaults are declared; `streamform plan` on this file',
    `shows no changes, except that resources no streamform project owns yet are adopted by "${config.project}"`,
    '(tagged, nothing else) on the first apply.',
    'Never declared: ARNs, creation times, StackErrors, ApplicationSettings.S3BucketName, image state,',
    'platform and other read-only values, the streamform:* tags, and public, shared or AWS-provided images.',
    'MaxBaseImageAgeDays is a policy, not a value AWS holds: add it to images by hand.',
  ];
  if (targets && targets.length > 1) {
    lines.push('A resource only some targets have names them in Targets; a value that differs between the targets', 'is ${vars.<key>}, each target\'s value in its vars.');
  }
  if (unmerged.length) lines.push('', 'Not merged (best effort):', ...unmerged.map((note) => `  ${note.address}: ${note.message}`));
  if (leftOut.length) lines.push('', 'Left out:', ...leftOut.map((note) => `  ${note.address}${note.targets ? ` (target ${note.targets.join(', ')})` : ''}: ${note.message}`));
  return lines.map((line) => (line ? ` ${line}` : '')).join('\n');
}
