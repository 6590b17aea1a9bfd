/**
 * The plan view as data: which rows it shows, what each key does, and which lines fit on screen.
 * Pure functions of the plan and the view state, so the Ink components only draw.
 */
import type { Diagnostic, Plan, PlannedCall, ResourceChange } from '../core/plan.js';
import { baseDriftLines, callText, changeMarks, changeRows, DEPTH_INDENT, planNotes, shownChanges, sortedDiagnostics, valueLines, type Row, type Sign } from '../render/format.js';
import { ACTION_COLOR, ACTION_SYMBOL } from '../core/vocabulary.js';

/** One resource on screen: a change, or a resource that only has diagnostics. */
export interface PlanRow {
  readonly address: string;
  readonly change?: ResourceChange;
  readonly diagnostics: readonly Diagnostic[];
}

/** The changes in the text renderer's order, then resources that are only in diagnostics, errors first. */
export function planRows(plan: Plan): PlanRow[] {
  const diagnosticsOf = (address: string) => plan.diagnostics.filter((d) => d.address === address);
  const rows: PlanRow[] = shownChanges(plan).map((change) => ({ address: change.address, change, diagnostics: diagnosticsOf(change.address) }));
  const shown = new Set(rows.map((row) => row.address));
  for (const { address } of sortedDiagnostics(plan)) {
    if (address === undefined || shown.has(address)) continue;
    shown.add(address);
    rows.push({ address, change: plan.changes.find((c) => c.address === address), diagnostics: diagnosticsOf(address) });
  }
  return rows;
}

export interface PlanViewState {
  readonly cursor: number;
  readonly expanded: ReadonlySet<string>;
  readonly showCalls: boolean;
}

export const initialPlanViewState: PlanViewState = { cursor: 0, expanded: new Set(), showCalls: false };

export type PlanCommand = 'up' | 'down' | 'page-up' | 'page-down' | 'first' | 'last' | 'toggle' | 'calls';

/** What a key does to the view; `pageSize` is how many rows a page jump moves. */
export function planViewReducer(state: PlanViewState, command: PlanCommand, rows: readonly PlanRow[], pageSize = 10): PlanViewState {
  const last = Math.max(0, rows.length - 1);
  const move = (cursor: number) => ({ ...state, cursor: Math.min(last, Math.max(0, cursor)) });
  switch (command) {
    case 'up':
      return move(state.cursor - 1);
    case 'down':
      return move(state.cursor + 1);
    case 'page-up':
      return move(state.cursor - pageSize);
    case 'page-down':
      return move(state.cursor + pageSize);
    case 'first':
      return move(0);
    case 'last':
      return move(last);
    case 'calls':
      return { ...state, showCalls: !state.showCalls };
    case 'toggle': {
      const address = rows[state.cursor]?.address;
      if (address === undefined) return state;
      const expanded = new Set(state.expanded);
      if (!expanded.delete(address)) expanded.add(address);
      return { ...state, expanded };
    }
  }
}

/** A run of text with one style; a line is a list of them. */
export interface Segment {
  readonly text: string;
  readonly color?: string;
  readonly bold?: boolean;
  readonly dim?: boolean;
}

export interface Line {
  readonly key: string;
  readonly segments: readonly Segment[];
  /** The row this line belongs to (absent for plan-wide lines). */
  readonly row?: number;
}

const DIAGNOSTIC_MARK = { error: { symbol: '✖', color: 'red' }, warning: { symbol: '⚠', color: 'yellow' } } as const;
const SIGN_COLOR: Record<Sign, string | undefined> = { '+': 'green', '-': 'red', '~': 'yellow', ' ': undefined };
const INDENT = '      ';

const DRIFT_MARK = { symbol: '~', color: 'magenta' } as const;
const NOTE_MARK = { symbol: 'ℹ', color: 'cyan' } as const;

/**
 * Everything the body could show, top to bottom; the view then shows the window around the cursor.
 * Plan-wide lines come first: diagnostics of no resource, drift told by the base config, notes.
 */
export function planLines(plan: Plan, rows: readonly PlanRow[], state: PlanViewState, width: number): Line[] {
  const lines: Line[] = [
    ...plan.diagnostics.filter((d) => d.address === undefined).flatMap((d, i) => diagnosticLines(d, `plan-diagnostic-${i}`, width, undefined, '')),
    ...baseDriftLines(plan).flatMap((text, i) => markedLines(DRIFT_MARK, 'drift', text, { key: `plan-drift-${i}`, width, indent: '' })),
    ...planNotes(plan).flatMap((text, i) => markedLines(NOTE_MARK, 'note', text, { key: `plan-note-${i}`, width, indent: '' })),
  ];
  if (state.showCalls) return lines.concat(callLines(plan.calls, rows, state, width));
  const addressWidth = Math.min(48, Math.max(0, ...rows.map((row) => row.address.length)));
  rows.forEach((row, index) => {
    const details = row.change ? changeRows(row.change, width - INDENT.length - 2) : [];
    const expanded = state.expanded.has(row.address);
    lines.push(resourceLine(row, index, index === state.cursor, details.length > 0 ? expanded : undefined, addressWidth));
    if (expanded) lines.push(...detailLines(row, index, details));
    row.diagnostics.forEach((d, i) => lines.push(...diagnosticLines(d, `${row.address}#diagnostic-${i}`, width, index, INDENT)));
  });
  return lines;
}

/** `expanded` is undefined when the row has no details to expand. */
function resourceLine(row: PlanRow, index: number, selected: boolean, expanded: boolean | undefined, addressWidth: number): Line {
  const action = row.change?.action ?? 'no-op';
  const color = ACTION_COLOR[action];
  const errors = row.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = row.diagnostics.length - errors;
  const marks = row.change ? changeMarks(row.change) : '';
  const segments: Segment[] = [
    { text: selected ? '› ' : '  ', bold: true, color: 'cyan' },
    { text: expanded === undefined ? '  ' : expanded ? '▾ ' : '▸ ', dim: true },
    { text: ACTION_SYMBOL[action].padEnd(4), color, bold: true },
    { text: row.address.padEnd(addressWidth), bold: selected },
    { text: `  ${action === 'no-op' ? 'no change' : action}`.padEnd(11), color },
  ];
  if (marks) segments.push({ text: `  ${marks}`, color: 'cyan', bold: true });
  if (errors > 0) segments.push({ text: `  ✖ ${errors}`, color: 'red', bold: true });
  if (warnings > 0) segments.push({ text: `  ⚠ ${warnings}`, color: 'yellow', bold: true });
  if (row.change?.reason) segments.push({ text: `  ${row.change.reason}`, dim: true });
  return { key: row.address, segments, row: index };
}

/** The attribute changes as the text renderer lays them out, signs coloured. */
function detailLines(row: PlanRow, index: number, details: readonly Row[]): Line[] {
  if (details.length === 0) return [{ key: `${row.address}#details`, segments: [{ text: `${INDENT}(no attribute changes)`, dim: true }], row: index }];
  return details.map((detail, i) => ({
    key: `${row.address}#${i}`,
    row: index,
    segments: [
      { text: INDENT + ' '.repeat(detail.depth * DEPTH_INDENT) },
      { text: `${detail.continued ? ' ' : detail.sign} `, color: SIGN_COLOR[detail.sign], bold: true },
      { text: detail.text, color: detail.sign === ' ' ? undefined : SIGN_COLOR[detail.sign], dim: detail.sign === ' ' },
    ],
  }));
}

function diagnosticLines(diagnostic: Diagnostic, key: string, width: number, row: number | undefined, indent: string): Line[] {
  return markedLines(DIAGNOSTIC_MARK[diagnostic.severity], diagnostic.severity, diagnostic.message, { key, width, row, indent });
}

/** "⚠ warning: text", wrapped to the width under its first word. */
function markedLines(
  { symbol, color }: { symbol: string; color: string },
  label: string,
  message: string,
  at: { key: string; width: number; row?: number; indent: string },
): Line[] {
  const prefix = `${at.indent}${symbol} ${label}: `;
  const pad = ' '.repeat(prefix.length);
  return wrapText(message, Math.max(10, at.width - prefix.length)).map((text, i) => ({
    key: `${at.key}~${i}`,
    row: at.row,
    segments: [{ text: (i === 0 ? prefix : pad) + text, color }],
  }));
}

/** The numbered calls apply will make; the selected resource's calls are marked, expanded ones show their input. */
function callLines(calls: readonly PlannedCall[], rows: readonly PlanRow[], state: PlanViewState, width: number): Line[] {
  const rowOf = new Map(rows.map((row, index) => [row.address, index]));
  const selected = rows[state.cursor]?.address;
  const idWidth = String(calls.length).length;
  const header: Line = { key: 'calls-header', segments: [{ text: `API calls, in execution order (${calls.length}):`, bold: true }] };
  return [
    header,
    ...calls.flatMap((call) => {
      const mine = call.address === selected;
      const row = rowOf.get(call.address);
      const line: Line = {
        key: `call-${call.id}`,
        row,
        segments: [
          { text: mine ? '› ' : '  ', bold: true, color: 'cyan' },
          { text: callText(call, idWidth), bold: mine, dim: !mine },
        ],
      };
      if (!state.expanded.has(call.address)) return [line];
      const input = valueLines(call.input, width - INDENT.length).map((text, i) => ({
        key: `call-${call.id}#input-${i}`,
        row,
        segments: [{ text: INDENT + text }],
      }));
      return [line, ...input];
    }),
  ];
}

/** Word wrap that also breaks words longer than a line (URLs, JSON). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = word;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  lines.push(current);
  return lines;
}

/**
 * The first visible line: moves as little as possible from `previous` so that all lines of the
 * focused row fit (or at least its first line, when they are more than the window holds).
 */
export function scrollOffset(lines: readonly Line[], focusRow: number, height: number, previous: number): number {
  const maxOffset = Math.max(0, lines.length - height);
  let offset = Math.min(Math.max(0, previous), maxOffset);
  const first = lines.findIndex((line) => line.row === focusRow);
  if (first < 0) return offset;
  const last = lines.findLastIndex((line) => line.row === focusRow);
  if (last >= offset + height) offset = last - height + 1;
  if (first < offset) offset = first;
  return offset;
}
