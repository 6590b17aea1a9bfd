/**
 * The plan as a reviewer reads it in a terminal or a CI log. Append-only text: colour is ANSI SGR
 * when asked for, and there is never a cursor movement, so logs and pipes stay clean.
 */
import { planVerdict, type Action, type Diagnostic, type Plan, type PlannedCall, type ResourceChange } from '../core/plan.js';
import { ACTION_COLOR, ACTION_SYMBOL } from '../core/vocabulary.js';
import {
  baseDriftLines,
  callText,
  changeMarks,
  changeRows,
  DEPTH_INDENT,
  formatLocation,
  planNotes,
  shownChanges,
  sortedDiagnostics,
  targetText,
  type Row,
  type Sign,
} from './format.js';

export interface TextOptions {
  color: boolean;
  /** Columns available; longer values are laid out one element per line. */
  width?: number;
  /** What the output is, first word of its heading (default "Plan"; drift says "Drift report"). */
  title?: string;
  /** The last line (default: the plan's summary line). */
  summary?: string;
  /** More compiler-style lines, shown before the diagnostics (drift's findings). */
  notes?: string[];
}

export const DEFAULT_WIDTH = 100;

const SGR = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof SGR;
/** Styles are SGR names; any other name (an Ink colour without an SGR twin) paints nothing. */
type Paint = (text: string, ...styles: (string | undefined)[]) => string;

const SIGN_STYLE: Record<Sign, Style | undefined> = { '+': 'green', '-': 'red', '~': 'yellow', ' ': undefined };
const SEVERITY_STYLE = { error: 'red', warning: 'yellow' } as const;
/** Room for the widest symbol ("-/+"), so that addresses line up. */
const SYMBOL_WIDTH = 3;
const ROW_INDENT = ' '.repeat(SYMBOL_WIDTH + 3);

export function renderPlanText(plan: Plan, { color, width = DEFAULT_WIDTH, title = 'Plan', summary, notes = [] }: TextOptions): string {
  const paint = painter(color);
  const changes = shownChanges(plan);
  const sections: string[][] = [
    [paint(`${title} for project "${plan.project}" in ${targetText(plan)}`, 'bold')],
    changes.length > 0 ? [legend(changes, paint), '', ...changes.flatMap((change) => changeLines(change, width, paint))] : [],
    plan.calls.length > 0 ? ['API calls, in execution order:', ...callLines(plan.calls)] : [],
    [
      ...notes,
      ...baseDriftLines(plan).map((line) => `${paint('drift', 'magenta', 'bold')}: ${line}`),
      ...planNotes(plan).map((note) => `${paint('note', 'cyan', 'bold')}: ${note}`),
      ...sortedDiagnostics(plan).map((d) => diagnosticLine(d, paint)),
    ],
    [paint(summary ?? planVerdict(plan), 'bold')],
  ];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

function legend(changes: ResourceChange[], paint: Paint): string {
  const actions = (['create', 'update', 'replace', 'delete'] as const).filter((action) => changes.some((c) => c.action === action));
  return `Symbols: ${actions.map((action) => `${symbol(action, paint)} ${action}`).join(', ')}`;
}

function changeLines(change: ResourceChange, width: number, paint: Paint): string[] {
  const marks = changeMarks(change);
  const pad = ' '.repeat(SYMBOL_WIDTH - ACTION_SYMBOL[change.action].length);
  const header = `${pad}${symbol(change.action, paint)} ${paint(change.address, 'bold')}${marks ? ` ${paint(marks, 'cyan')}` : ''}`;
  const rows = changeRows(change, width - ROW_INDENT.length - 2);
  return [header, ...rows.map((row) => rowLine(row, paint))];
}

function rowLine({ sign, depth, text, continued }: Row, paint: Paint): string {
  const indent = ROW_INDENT + ' '.repeat(depth * DEPTH_INDENT);
  if (sign === ' ') return `${indent}  ${paint(text, 'dim')}`;
  return `${indent}${continued ? ' ' : paint(sign, SIGN_STYLE[sign])} ${text}`;
}

function callLines(calls: PlannedCall[]): string[] {
  const idWidth = String(calls.length).length;
  return calls.map((call) => `  ${callText(call, idWidth)}`);
}

/** Compiler style, `file:line:column: error: address: message`, so editors and CI can link it. */
function diagnosticLine(diagnostic: Diagnostic, paint: Paint): string {
  const severity = paint(diagnostic.severity, SEVERITY_STYLE[diagnostic.severity], 'bold');
  const where = diagnostic.source ? `${formatLocation(diagnostic.source)}: ` : '';
  return `${where}${severity}: ${diagnostic.address ? `${diagnostic.address}: ` : ''}${diagnostic.message}`;
}

function symbol(action: Action, paint: Paint): string {
  return paint(ACTION_SYMBOL[action], ACTION_COLOR[action], 'bold');
}

function painter(color: boolean): Paint {
  return (text, ...styles) => {
    const codes = styles.filter((style): style is Style => style !== undefined && style in SGR).map((style) => SGR[style]);
    return color && codes.length > 0 && text !== '' ? `\x1b[${codes.join(';')}m${text}\x1b[0m` : text;
  };
}
