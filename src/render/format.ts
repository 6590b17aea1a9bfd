/**
 * What the text and Markdown renderers share: which changes are shown and in what order, how an
 * attribute diff becomes signed rows, how values break over lines, and how a diagnostic or call
 * reads. The symbols, summary line and one-line values come from the vocabulary the terminal UI
 * uses too (src/ui/format.ts), so every view of a plan speaks the same way.
 */
import type { AttributeDiff, Diagnostic, Plan, PlannedCall, ResourceChange, SourceLocation } from '../core/plan.js';
import { sameValue } from '../normalize/values.js';
import { formatValue } from '../core/vocabulary.js';
import { kindNamed } from '../kinds/index.js';

/** `+` set or added, `-` cleared or removed, `~` changed, ` ` context. */
export type Sign = '+' | '-' | '~' | ' ';

/**
 * One line under a resource, `depth` levels of DEPTH_INDENT deep. `continued` lines carry the rest
 * of a value that did not fit on one line.
 */
export interface Row {
  sign: Sign;
  depth: number;
  text: string;
  continued?: boolean;
}

export const DEPTH_INDENT = 4;

/** Resources a reviewer needs to see, by address so that output is stable from run to run. */
export function shownChanges(plan: Plan): ResourceChange[] {
  return plan.changes.filter((change) => change.action !== 'no-op' || change.adopt).sort((a, b) => compare(a.address, b.address));
}

/** Errors first, then in file order (file, line, column); plan-wide problems before resource ones. */
export function sortedDiagnostics(plan: Plan): Diagnostic[] {
  const rank = (d: Diagnostic) => (d.severity === 'error' ? 0 : 1);
  const where = (d: Diagnostic) => (d.source ? [d.source.file, d.source.line, d.source.column] : ['', 0, 0]) as [string, number, number];
  return [...plan.diagnostics].sort((a, b) => {
    const [fa, la, ca] = where(a);
    const [fb, lb, cb] = where(b);
    return rank(a) - rank(b) || Number(a.address !== undefined) - Number(b.address !== undefined) || compare(fa, fb) || la - lb || ca - cb || compare(a.address ?? '', b.address ?? '');
  });
}

export function formatLocation(source: SourceLocation): string {
  return `${source.file}:${source.line}:${source.column}`;
}

/** "(drift, adopt)": how a change came about, when that is not simply the config. */
export function changeMarks(change: ResourceChange): string {
  const marks = [change.drift && 'drift', change.adopt && 'adopt'].filter(Boolean);
  return marks.length > 0 ? `(${marks.join(', ')})` : '';
}

/** "us-east-1, account 123456789012, endpoint http://127.0.0.1:4566" */
export function targetText(plan: Plan): string {
  const { name, region, account, endpoint } = plan.target;
  const where = [region, account && `account ${account}`, endpoint && `endpoint ${endpoint}`].filter(Boolean).join(', ');
  return name === undefined ? where : `target ${name} (${where})`;
}

/** "3. UpdateStack stack/design", with the wait that follows it. */
export function callText(call: PlannedCall, idWidth: number): string {
  const wait = call.wait ? `, then wait for ${call.wait}` : '';
  return `${String(call.id).padStart(idWidth)}. ${call.operation} ${call.address}${wait}`;
}

/** Rows for one resource: its reason as a comment, then every attribute change; `width` is the room for a depth-0 row's text. */
export function changeRows(change: ResourceChange, width: number): Row[] {
  const reason: Row[] = change.reason ? [{ sign: ' ', depth: 0, text: `# ${change.reason}` }] : [];
  const interruption: Row[] = change.interruption ? [{ sign: ' ', depth: 0, text: `# interrupts users: ${change.interruption}` }] : [];
  return [...reason, ...interruption, ...change.diffs.flatMap((diff) => diffRows(diff, width))];
}

/** What a reviewer must not miss about an attribute's change, beside it. */
export const IMPACT_NOTE: Partial<Record<AttributeDiff['impact'], string>> = { replace: 'forces replacement', interrupt: 'interrupts users' };

function diffRows(diff: AttributeDiff, width: number): Row[] {
  const note = IMPACT_NOTE[diff.impact];
  const rows = attributeRows(diff, note ? width - note.length - 4 : width);
  return note ? [{ ...rows[0], text: `${rows[0].text}  # ${note}` }, ...rows.slice(1)] : rows;
}

function attributeRows(diff: AttributeDiff, width: number): Row[] {
  if (diff.added || diff.removed) {
    const elements = [...(diff.added ?? []).map((v) => ['+', v] as const), ...(diff.removed ?? []).map((v) => ['-', v] as const)];
    return [
      { sign: '~', depth: 0, text: `${diff.path}:` },
      ...elements.flatMap(([sign, value]) => valueRows(sign, 1, '', value, width)),
    ];
  }
  return nestedChanges(diff.path, diff.before, diff.after).flatMap(({ path, before, after }) => pairRows(path, before, after, width));
}

/**
 * Two objects are compared key by key, so that one changed field of a large structure shows as
 * that field alone (`ApplicationSettings.SettingsGroup`), not as two copies of the whole.
 */
function nestedChanges(path: string, before: unknown, after: unknown): { path: string; before: unknown; after: unknown }[] {
  if (!isPlainObject(before) || !isPlainObject(after)) return [{ path, before, after }];
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys
    .filter((key) => !sameValue(before[key], after[key]))
    .flatMap((key) => nestedChanges(`${path}.${key}`, before[key], after[key]));
}

function pairRows(path: string, before: unknown, after: unknown, width: number): Row[] {
  if (before === undefined) return valueRows('+', 0, `${path}: `, after, width);
  if (after === undefined) return valueRows('-', 0, `${path}: `, before, width);
  const sign: Sign = after === null ? '-' : '~';
  const oneLine = `${path}: ${formatValue(before)} -> ${formatValue(after)}`;
  if (oneLine.length <= width) return [{ sign, depth: 0, text: oneLine }];
  return [
    { sign, depth: 0, text: `${path}:` },
    ...valueRows('-', 1, '', before, width),
    ...valueRows('+', 1, '', after, width),
  ];
}

function valueRows(sign: Sign, depth: number, prefix: string, value: unknown, width: number): Row[] {
  const [first, ...rest] = valueLines(value, width - depth * DEPTH_INDENT, prefix.length);
  return [{ sign, depth, text: prefix + first }, ...rest.map((text) => ({ sign, depth, text, continued: true }))];
}

/**
 * A value on one line when it fits in `width` after `lead` columns of text before it on its first
 * line; else one element or key per line, nested structures likewise. Strings are never cut or
 * wrapped: a URL must stay copyable.
 */
export function valueLines(value: unknown, width: number, lead = 0): string[] {
  const inline = formatValue(value);
  if (lead + inline.length <= width || value === null || typeof value !== 'object') return [inline];
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v) => ['', v]) : Object.entries(value).map(([k, v]) => [`${k}: `, v]);
  const inner = entries.flatMap(([key, v]) => {
    const [first, ...rest] = valueLines(v, width - 2, key.length);
    return [key + first, ...rest].map((line) => `  ${line}`);
  });
  return Array.isArray(value) ? ['[', ...inner, ']'] : ['{', ...inner, '}'];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Code-point order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The plan's information lines: what it leaves alone that the reader should know of. */
export function planNotes(plan: Plan): string[] {
  const undeclared = undeclaredNote(plan);
  return [...(undeclared ? [undeclared] : []), ...unmanagedTagNotes(plan)];
}

/** "2 owned stacks and 1 owned fleet are no longer declared; --prune would delete them: stack/a, …", or undefined when the plan lists none. */
function undeclaredNote(plan: Plan): string | undefined {
  const undeclared = plan.undeclared ?? [];
  if (!undeclared.length) return undefined;
  const counts = new Map<string, number>();
  for (const { kind } of undeclared) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, n]) => {
    const definition = kindNamed(kind);
    return `${n} owned ${n === 1 ? (definition?.noun ?? kind) : (definition?.plural ?? kind)}`;
  });
  const what = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  const one = undeclared.length === 1;
  return `${what} ${one ? 'is' : 'are'} no longer declared; --prune would delete ${one ? 'it' : 'them'}: ${undeclared.map((r) => r.address).join(', ')}`;
}

/** "stack/design: tag keys not managed by the config (set outside streamform): CostCenter, Owner", one per resource. */
function unmanagedTagNotes(plan: Plan): string[] {
  return (plan.unmanagedTags ?? []).map(
    ({ address, keys }) => `${address}: ${keys.length === 1 ? 'tag key' : 'tag keys'} not managed by the config (set outside streamform): ${keys.join(', ')}`,
  );
}

/** In a plan diff `before` is AWS and `after` the config; set diffs name what apply would add and remove. */
export function driftText(diff: AttributeDiff, declaring = 'the config'): string {
  if (diff.added || diff.removed) {
    const parts = [diff.added?.length && `missing in AWS ${formatValue(diff.added)}`, diff.removed?.length && `not declared ${formatValue(diff.removed)}`];
    return parts.filter(Boolean).join(', ');
  }
  return `AWS has ${formatValue(diff.before)}, ${declaring} declares ${formatValue(diff.after)}`;
}

/** "drift: stack/design RedirectURL: AWS has …, the base config declares … (since the base config was applied)", one per attribute. */
export function baseDriftLines(plan: Plan): string[] {
  return (plan.baseDrift ?? []).flatMap(({ address, diffs }) => diffs.map((diff) => baseDriftLine(address, diff)));
}

function baseDriftLine(address: string, diff: AttributeDiff): string {
  return `${address} ${diff.path}: ${driftText(diff, 'the base config')} (changed outside streamform since the base config was applied)`;
}
