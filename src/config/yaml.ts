import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import type { SourceLocation } from '../core/plan.js';
import type { Problem } from './diagnostics.js';
import { pointerOf, segmentsOf } from './pointer.js';

/*
 * YAML from untrusted hands (plan runs on pull requests from strangers): UTF-8 only, bounded in
 * nesting and alias expansion, core schema only (no custom tags), duplicate keys rejected, and
 * keys that could reach an object's prototype refused. Callers bound the size of the input.
 */
const MAX_DEPTH = 64;
const TOO_DEEP = `nested more than ${MAX_DEPTH} levels deep`;
/** Nodes that alias expansion may produce in one file: plenty for sharing settings, far too few for a billion laughs. */
const MAX_ALIASED_NODES = 100_000;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** The YAML 1.2 core schema's own tags (`!!str 123`); any other tag could mean code or a file to include. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));
/** Characters YAML does not allow in a stream (it allows tab, line feed, carriage return and NEL). */
const FORBIDDEN_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F\uFFFE\uFFFF]/;

type Position = Omit<SourceLocation, 'file'>;

class AliasBomb extends Error {}

/** One parsed file: the data as plain JSON values, and where each of them stands in the text. */
export class YamlFile {
  readonly problems: Problem[] = [];
  readonly value: unknown;
  private readonly lines = new LineCounter();
  private doc?: Document;
  /** Keys of the value being built, for the pointer of a problem found on the way. */
  private readonly path: (string | number)[] = [];
  private aliasDepth = 0;
  private aliasedNodes = 0;
  /** The alias whose expansion is under way, where a bomb is reported. */
  private outermostAlias = 0;

  constructor(bytes: Uint8Array) {
    const text = this.decode(bytes);
    this.value = text === undefined ? undefined : this.parse(text);
  }

  /** Line and column (1-based) of a problem: its key when it is about the key, else its value. */
  position(problem: Problem): Position {
    if (problem.offset !== undefined) return this.at(problem.offset);
    const span = this.span(problem.pointer);
    return this.at(problem.key ? (span.key ?? span.value) : span.value);
  }

  /** Where the value at `pointer` is written: its key inside a map, else the value itself. */
  locate(pointer: string): Position {
    const span = this.span(pointer);
    return this.at(span.key ?? span.value);
  }

  /**
   * Offsets of the value at `pointer` and of its key, found by walking the document (through
   * aliases, so a value that came from an anchor is found there). A pointer that names nothing
   * written, such as a missing property, gives the nearest value that is.
   */
  private span(pointer: string): { key?: number; value: number } {
    let node = this.doc?.contents as Node | null | undefined;
    let span: { key?: number; value: number } = { value: node?.range?.[0] ?? 0 };
    for (const segment of segmentsOf(pointer)) {
      const container = isAlias(node) ? node.resolve(this.doc!) : node;
      let next: Node | null | undefined;
      if (isMap(container)) {
        const pair = container.items.find((p) => isScalar(p.key) && keyOf(p.key) === segment);
        const key = pair?.key as Node | undefined;
        next = pair ? ((pair.value as Node | null) ?? key) : undefined;
        if (next) span = { key: key?.range?.[0], value: next.range?.[0] ?? span.value };
      } else if (isSeq(container)) {
        next = container.items[Number(segment)] as Node | undefined;
        if (next) span = { value: next.range?.[0] ?? span.value };
      }
      if (!next) break;
      node = next;
    }
    return span;
  }

  private at(offset: number): Position {
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
    this.doc = doc;
    for (const error of [...doc.errors, ...doc.warnings]) {
      if (error.code === 'TAG_RESOLVE_FAILED') continue; // reported, with the tag, by build()
      const message = error.code === 'DUPLICATE_KEY' ? `duplicate key ${/^[^:\n]*/.exec(text.slice(error.pos[0]))![0].trim()}` : error.message;
      this.problem(error.pos[0], message);
    }
    if (this.problems.length > 0) return undefined;
    try {
      return this.build(doc.contents);
    } catch (error) {
      if (!(error instanceof AliasBomb)) throw error;
      this.problem(this.outermostAlias, `aliases expand to more than ${MAX_ALIASED_NODES} values; refusing a possible billion-laughs file`);
      return undefined;
    }
  }

  /** The plain value of a node, with aliases expanded (within bounds) and every problem on the way recorded. */
  private build(node: Node | null | undefined): unknown {
    if (!node) return null;
    const offset = node.range?.[0] ?? 0;
    if (this.path.length > MAX_DEPTH) {
      // Once is enough: everything that deep is cut off the same way.
      if (!this.problems.some((p) => p.message === TOO_DEEP)) this.problem(offset, TOO_DEEP, this.pointer());
      return undefined;
    }
    if (this.aliasDepth > 0 && ++this.aliasedNodes > MAX_ALIASED_NODES) throw new AliasBomb();
    if (isAlias(node)) {
      const target = node.resolve(this.doc!);
      if (!target) {
        this.problem(offset, `alias *${node.source} refers to no anchor`, this.pointer());
        return undefined;
      }
      if (this.aliasDepth++ === 0) this.outermostAlias = offset;
      const value = this.build(target);
      this.aliasDepth--;
      return value;
    }
    if (node.tag && !CORE_TAGS.has(node.tag)) {
      const written = node.tag.replace(/^tag:yaml\.org,2002:/, '!!');
      this.problem(offset, `tag ${written} is not allowed; streamform reads plain YAML only`, this.pointer());
    }
    if (isMap(node)) {
      const object: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const keyAt = keyNode?.range?.[0] ?? offset;
        if (!isScalar(keyNode)) {
          this.problem(keyAt, 'keys must be plain strings', this.pointer());
          continue;
        }
        const key = keyOf(keyNode);
        if (RESERVED_KEYS.has(key)) {
          this.problem(keyAt, `${key} is not allowed as a key`, this.pointer(key));
          continue;
        }
        if (key === '<<') {
          this.problem(keyAt, 'merge keys (<<) are not supported; use an alias (*name) for a whole value instead', this.pointer(key));
          continue;
        }
        this.path.push(key);
        object[key] = this.build(pair.value as Node | null);
        this.path.pop();
      }
      return object;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        this.path.push(index);
        const value = this.build(item as Node | null);
        this.path.pop();
        return value;
      });
    }
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) {
        this.problem(offset, `${node.source} is not a finite number`, this.pointer());
        return undefined;
      }
      return node.value;
    }
    this.problem(offset, 'unsupported YAML node', this.pointer());
    return undefined;
  }

  private pointer(...more: string[]): string {
    return pointerOf([...this.path, ...more]);
  }

  private problem(offset: number, message: string, pointer = ''): void {
    this.problems.push({ pointer, offset, message });
  }
}

/** What was written is the key: `012:` is "012", not the number 12. */
function keyOf(key: Scalar): string {
  return key.type === 'PLAIN' && key.source !== undefined ? key.source : String(key.value);
}
