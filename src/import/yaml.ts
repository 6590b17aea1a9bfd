/**
 * The imported config as the YAML a person keeps in Git: the schema modeline for editors, a header
 * that says what was never declared and which resources were left out and why, and a comment on
 * each declared resource that needs one (adoption, stack errors).
 */
import { addressOf, KINDS } from '../kinds/index.js';
import { Document, isMap, isSeq, type Node } from 'yaml';
import type { ImportNote, ImportResult } from './build.js';

export interface ImportYamlOptions {
  /** Path or URL of the JSON Schema, for the `yaml-language-server` modeline. */
  schema: string;
  /** The studios that were read, if any. */
  studios: string[];
}

export function renderImportYaml({ config, notes }: ImportResult, options: ImportYamlOptions): string {
  const document = new Document(config);
  const declaredNotes = new Map<string, string[]>();
  for (const note of notes.filter((n) => n.declared)) declaredNotes.set(note.address, [...(declaredNotes.get(note.address) ?? []), note.message]);

  for (const kind of KINDS) {
    const list = document.get(kind.list);
    if (!isSeq(list)) continue;
    for (const item of list.items as Node[]) {
      if (!isMap(item)) continue;
      const address = addressOf(kind, (name) => item.get(name));
      const messages = declaredNotes.get(address);
      if (messages) item.commentBefore = messages.map((m) => ` ${m}`).join('\n');
    }
  }
  document.commentBefore = header(config.project, notes.filter((n) => !n.declared), options);
  return `# yaml-language-server: $schema=${options.schema}\n` + document.toString({ lineWidth: 0 });
}

function header(project: string, leftOut: ImportNote[], { studios }: ImportYamlOptions): string {
  const lines = [
    `Written by \`streamform import\`${studios.length ? ` (studios ${studios.join(', ')})` : ' (no Nimble studio named, so no streaming images)'}.`,
    'Only values that differ from the service defaults are declared; `streamform plan` on this file',
    `shows no changes, except that resources no streamform project owns yet are adopted by "${project}"`,
    '(tagged, nothing else) on the first apply.',
    'Never declared: ARNs, creation times, StackErrors, ApplicationSettings.S3BucketName, image state,',
    'platform and other read-only values, the streamform:* tags, and public, shared or AWS-provided images.',
    'MaxBaseImageAgeDays is a policy, not a value AWS holds: add it to images by hand.',
  ];
  if (leftOut.length) lines.push('', 'Left out:', ...leftOut.map((note) => `  ${note.address}: ${note.message}`));
  return lines.map((line) => (line ? ` ${line}` : '')).join('\n');
}
