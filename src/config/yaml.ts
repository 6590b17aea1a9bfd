import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { SourceLocation } from '../plan/types.js';
import type { Problem } from './diagnostics.js';
import { childPointer, parentPointer } from './pointer.js';

/*
 * YAML from untrusted hands (plan runs on pull requests from strangers): UTF-8 only, bounded in
 * nesting and alias expansion, core schema only (no custom tags), duplicate keys rejected, and
 * keys that could reach an object's prototype refused. Callers bound the size of the input.
 */
const MAX_DEPTH = 64;
/** Nodes that alias expansion may produce in one file: plenty for sharing settings, far too few for a billion laughs. */
const MAX_ALIASED_NODES = 100_000;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The YAML 1.2 core schema's own tags (`!!str 123`); any other tag could mean code or a file to include. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));
/** Characters YAML does not allow in a stream (it allows tab, line feed, carriage return and NEL). */
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

interface Span {
  /** Offset of the key, for a value in a map. */
  key?: number;
  value: number;
}

class AliasBomb extends Error {}

/** One parsed file: the data as plain JSON values, and where each of them stands in the text. */
export class YamlFile {
  readonly problems: Problem[] = [];
  readonly value: unknown;
  private readonly lines = new LineCounter();
  private readonly spans = new Map<string, Span>();
  private aliasDepth = 0;
  private aliasedNodes = 0;
  /** The alias whose expansion is under way, where a bomb is reported. */
  private outermostAlias = 0;

  constructor(bytes: Uint8Array) {
    const text = this.decode(bytes);
    this.value = text === undefined ? undefined : this.parse(text);
  }

  /** Line and column (1-based) of a problem; a pointer that names nothing (a missing property) falls back to its parent. */
  position(problem: Problem): Omit<SourceLocation, 'file'> {
    if (problem.offset !== undefined) return this.at(problem.offset);
    const span = this.span(problem.pointer);
    return this.at(problem.key ? (span.key ?? span.value) : span.value);
  }

  /** Where the value at `pointer` is written: its key inside a map, else the value itself. */
  locate(pointer: string): Omit<SourceLocation, 'file'> {
    const span = this.span(pointer);
    return this.at(span.key ?? span.value);
  }

  private span(pointer: string): Span {
    for (let p = pointer; ; p = parentPointer(p)) {
      const span = this.spans.get(p);
      if (span) return span;
      if (p === '') return { value: 0 };
    }
  }

  private at(offset: number): Omit<SourceLocation, 'file'> {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private decode(bytes: Uint8Array): string | undefined {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // drops a leading BOM
    } catch {
      // Decode again, forgivingly, only to point at the first bad byte.
      const lenient = new TextDecoder('utf-8').decode(bytes);
      this.indexLines(lenient);
      this.problem(Math.max(0, lenient.indexOf('\uFFFD')), 'file is not UTF-8 text');
      return undefined;
    }
    this.indexLines(text);
    const forbidden = FORBIDDEN_CHARACTER.exec(text);
    if (forbidden) {
      const code = forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      this.problem(forbidden.index, `control character U+${code} is not allowed in YAML (is this a binary file?)`);
      return undefined;
    }
    return text;
  }

  private indexLines(text: string): void {
    this.lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lines.addNewLine(i + 1);
  }

  private parse(text: string): unknown {
    const doc = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true });
    for (const error of [...doc.errors, ...doc.warnings]) {
      if (error.code === 'TAG_RESOLVE_FAILED') continue; // reported, with the tag, by build()
      const message = error.code === 'DUPLICATE_KEY' ? `duplicate key ${/^[^:\n]*/.exec(text.slice(error.pos[0]))![0].trim()}` : error.message;
      this.problem(error.pos[0], message);
    }
    if (this.problems.length > 0) return undefined;
    try {
      return this.build(doc, doc.contents, '', 0);
    } catch (error) {
      if (!(error instanceof AliasBomb)) throw error;
      this.problem(Number(error.message), `aliases expand to more than ${MAX_ALIASED_NODES} values; refusing a possible billion-laughs file`);
      return undefined;
    }
  }

  private build(doc: Document, node: Node | null | undefined, pointer: string, depth: number, keyOffset?: number): unknown {
    if (!node) return null;
    const offset = node.range?.[0] ?? 0;
    this.spans.set(pointer, { key: keyOffset, value: offset });
    if (depth > MAX_DEPTH) {
      this.problem(offset, `nested more than ${MAX_DEPTH} levels deep`, pointer);
      return undefined;
    }
    if (this.aliasDepth > 0 && ++this.aliasedNodes > MAX_ALIASED_NODES) throw new AliasBomb(String(this.outermostAlias));
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) {
        this.problem(offset, `alias *${node.source} refers to no anchor`, pointer);
        return undefined;
      }
      if (this.aliasDepth++ === 0) this.outermostAlias = offset;
      const value = this.build(doc, target, pointer, depth + 1);
      this.aliasDepth--;
      this.spans.set(pointer, { key: keyOffset, value: offset }); // errors in aliased values point at the alias
      return value;
    }
    if (node.tag && !CORE_TAGS.has(node.tag)) {
      const written = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      this.problem(offset, `tag ${written} is not allowed; streamform reads plain YAML only`, pointer);
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyAt = keyNode?.range?.[0] ?? offset;
        if (!isScalar(keyNode)) {
          this.problem(keyAt, 'keys must be plain strings');
          continue;
        }
        // What was written is the key: `012:` is "012", not the number 12.
        const key = keyNode.type === 'PLAIN' && keyNode.source !== undefined ? keyNode.source : String(keyNode.value);
        if (RESERVED_KEYS.has(key)) {
          this.problem(keyAt, `${key} is not allowed as a key`, childPointer(pointer, key));
          continue;
        }
        if (key === '<<') {
          this.problem(keyAt, 'merge keys (<<) are not supported; use an alias (*name) for a whole value instead', childPointer(pointer, key));
          continue;
        }
        object[key] = this.build(doc, pair.value as Node | null, childPointer(pointer, key), depth + 1, keyAt);
      }
      return object;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => this.build(doc, item as Node | null, childPointer(pointer, index), depth + 1));
    }
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        this.problem(offset, `${node.source} is not a finite number`, pointer);
        return undefined;
      }
      return node.value;
    }
    this.problem(offset, 'unsupported YAML node');
    return undefined;
  }

  private problem(offset: number, message: string, pointer = ''): void {
    this.problems.push({ pointer, offset, message });
  }
}
