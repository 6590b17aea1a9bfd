/**
 * The plan as a pull-request comment. Its first line is a hidden marker naming the project, so a
 * CI job finds its previous comment and edits it instead of adding another. The whole comment
 * stays under GitHub's size limit: when the plan is too large, the least important parts give way
 * first (the call list, then plain creates and updates, ...) and the comment says so.
 */
import { planVerdict, type Diagnostic, type Plan, type PlannedCall, type ResourceChange } from '../core/plan.js';
import { ACTION_SYMBOL, plural } from '../core/vocabulary.js';
import { baseDriftLines, callText, changeMarks, changeRows, DEPTH_INDENT, formatLocation, planNotes, shownChanges, sortedDiagnostics, targetText, type Row } from './format.js';

/** GitHub refuses issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Longest comment to produce. */
  maxLength?: number;
  /** What the comment is: its hidden marker and its heading say so (default plan). */
  kind?: CommentKind;
  /** The bold line under the heading (default: the plan's summary line). */
  summary?: string;
}

/** A plan comment on a pull request, or a drift report; each has its own marker so neither replaces the other. */
export type CommentKind = 'plan' | 'drift';

const HEADINGS: Record<CommentKind, string> = { plan: 'streamform plan for', drift: 'streamform drift report for' };

/** The comment's first line; a CI job looks for it to update the comment in place. */
export function planMarker(project: string, kind: CommentKind = 'plan'): string {
  // "--" would end the HTML comment early and show the rest of the marker.
  return `<!-- streamform:${kind} project=${project.replace(/-{2,}/g, '-')} -->`;
}

const DIFF_WIDTH = 100;
/** Entries listed in the deletion warning; the rest are counted. */
const WARNING_LIST_LIMIT = 10;
/** Room kept for the shortening note and the "… and N more" lines when the plan is too large. */
const NOTE_RESERVE = 600;

/**
 * A piece of the comment that can give way: `variants` go from richest to empty, `level` is the one
 * shown. Pieces of a section are resources, diagnostics, or the call list.
 */
interface Piece {
  variants: string[];
  level: number;
}

export function renderPlanMarkdown(plan: Plan, { maxLength = GITHUB_COMMENT_LIMIT, kind = 'plan', summary }: MarkdownOptions = {}): string {
  const changes = shownChanges(plan);
  const diagnostics = sortedDiagnostics(plan);
  const piece = (...variants: string[]): Piece => ({ variants: [...variants, ''], level: 0 });
  const resources = new Map(changes.map((change) => [change, resourcePiece(change)]));
  const notes = new Map(diagnostics.map((diagnostic) => [diagnostic, piece(diagnosticItem(diagnostic))]));
  const calls = piece(...(plan.calls.length > 0 ? [callsBlock(plan.calls)] : []));
  const information = planNotes(plan).map((note) => piece(`- ${escapeMarkdown(note)}`));
  const underEdits = baseDriftLines(plan).map((line) => piece(`- ${escapeMarkdown(line)}`));
  const sectionOf = (drift: boolean) => changes.filter((change) => change.drift === drift).map((change) => resources.get(change)!);

  const head = headBlock(plan, changes, diagnostics, kind, summary ?? planVerdict(plan));
  const sections: [string, Piece[]][] = [
    ['Errors and warnings', [...notes.values()]],
    ['Changed outside streamform (drift)', [...sectionOf(true), ...underEdits]],
    ['Changes', sectionOf(false)],
    ['Information', information],
  ];
  const render = (note?: string) =>
    [head, ...sections.map(([title, pieces]) => section(title, pieces)), shown(calls), note ?? '']
      .filter((block) => block !== '')
      .join('\n\n') + '\n';

  let size = head.length + [...resources.values(), ...notes.values(), ...information, ...underEdits, calls].reduce((sum, p) => sum + length(p), 0) + sectionsOverhead(sections);
  if (size <= maxLength) return render();

  // Least important first: the call list; then plain creates and updates, their diffs and then their
  // lines; only then deletions, replacements, drift and resources in error; warnings; errors last.
  const ranked = changes
    .map((change) => ({ piece: resources.get(change)!, rank: importance(change, plan.diagnostics) }))
    .sort((a, b) => a.rank - b.rank || b.piece.variants[0].length - a.piece.variants[0].length);
  const ordinary = ranked.filter(({ rank }) => rank <= PLAIN_CHANGE).map(({ piece }) => piece);
  const important = ranked.filter(({ rank }) => rank > PLAIN_CHANGE).map(({ piece }) => piece);
  const byRank = (severity: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === severity).map((d) => notes.get(d)!).reverse();
  const steps = [calls, ...ordinary, ...ordinary, ...important, ...important, ...byRank('warning'), ...byRank('error')];
  const budget = maxLength - NOTE_RESERVE;
  for (const step of steps) {
    if (size <= budget) break;
    const before = length(step);
    step.level = Math.min(step.level + 1, step.variants.length - 1);
    size -= before - length(step);
  }
  return render(shorteningNote(plan, calls, [...resources.values()], [...notes.values()], maxLength));
}

/** A resource's `<details>` with its diff, or one list line when it has none or space runs out. */
function resourcePiece(change: ResourceChange): Piece {
  const marks = changeMarks(change);
  const title = (code: (s: string) => string) => `${code(`${ACTION_SYMBOL[change.action]} ${change.address}`)} ${change.action}${marks ? ` ${marks}` : ''}`;
  const brief = `- ${title((s) => `\`${s}\``)}`;
  const rows = changeRows(change, DIFF_WIDTH);
  if (rows.length === 0) return { variants: [brief, brief, ''], level: 0 };
  const details = [`<details><summary>${title((s) => `<code>${escapeHtml(s)}</code>`)}</summary>`, '', fenced('diff', rows.map(diffLine)), '', '</details>'].join('\n');
  return { variants: [details, brief, ''], level: 0 };
}

/** GitHub colours `+` and `-` lines of a diff block, and `!` lines as changed. */
function diffLine({ sign, depth, text }: Row): string {
  return `${sign === '~' ? '!' : sign} ${' '.repeat(depth * DEPTH_INDENT)}${text}`;
}

function headBlock(plan: Plan, changes: ResourceChange[], diagnostics: Diagnostic[], kind: CommentKind, summary: string): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  // Drift under this config's edits, told by a base config, counts as drift too.
  const drifted = changes.filter((change) => change.drift).length + (plan.baseDrift?.length ?? 0);
  const files = plan.configFiles.slice(0, 5).map((file) => `\`${file}\``);
  if (plan.configFiles.length > files.length) files.push(`${plan.configFiles.length - files.length} more`);
  const { create, update, replace, delete: remove } = plan.summary;
  const lines = [
    planMarker(plan.project, kind),
    `### ${HEADINGS[kind]} \`${plan.project}\``,
    '',
    `${escapeMarkdown(targetText(plan))}${files.length > 0 ? ` · from ${files.join(', ')}` : ''}`,
    '',
    `**${escapeMarkdown(summary)}**`,
    '',
    '| Create | Update | Replace | Delete | Drift | Errors | Warnings |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${[create, update, replace, remove, drifted, errors, diagnostics.length - errors].join(' | ')} |`,
  ];
  if (errors > 0) lines.push('', '> [!CAUTION]', `> The plan has ${plural(errors, 'error')}; see "Errors and warnings" below.`);
  const destructive = changes.filter((change) => change.action === 'delete' || change.action === 'replace');
  if (destructive.length > 0) {
    lines.push('', '> [!WARNING]', `> **This plan deletes or replaces ${plural(destructive.length, 'resource')}:**`);
    for (const change of destructive.slice(0, WARNING_LIST_LIMIT)) {
      lines.push(`> - \`${ACTION_SYMBOL[change.action]} ${change.address}\` ${change.action}${change.reason ? `: ${escapeMarkdown(change.reason)}` : ''}`);
    }
    if (destructive.length > WARNING_LIST_LIMIT) lines.push(`> - … and ${destructive.length - WARNING_LIST_LIMIT} more`);
  }
  const interrupting = changes.filter((change) => change.interruption);
  if (interrupting.length > 0) {
    lines.push('', '> [!WARNING]', `> **This plan interrupts users of ${plural(interrupting.length, 'resource')}** (apply needs \`--allow-interruption\`):`);
    for (const change of interrupting.slice(0, WARNING_LIST_LIMIT)) lines.push(`> - \`${change.address}\`: ${escapeMarkdown(change.interruption!)}`);
    if (interrupting.length > WARNING_LIST_LIMIT) lines.push(`> - … and ${interrupting.length - WARNING_LIST_LIMIT} more`);
  }
  return lines.join('\n');
}

function diagnosticItem(diagnostic: Diagnostic): string {
  const where = diagnostic.source ? ` (\`${formatLocation(diagnostic.source)}\`)` : '';
  const address = diagnostic.address ? ` \`${diagnostic.address}\`:` : '';
  return `- **${diagnostic.severity}**${address} ${escapeMarkdown(diagnostic.message)}${where}`;
}

function callsBlock(calls: PlannedCall[]): string {
  const idWidth = String(calls.length).length;
  const lines = calls.flatMap((call) => [callText(call, idWidth), `${' '.repeat(idWidth + 2)}${JSON.stringify(call.input)}`]);
  return [`<details><summary>API calls in execution order (${calls.length})</summary>`, '', fenced('text', lines), '', '</details>'].join('\n');
}

/** A titled section of pieces; what gave way entirely is counted on a last line. */
function section(title: string, pieces: Piece[]): string {
  if (pieces.length === 0) return '';
  const blocks = pieces.map(shown).filter((text) => text !== '');
  const omitted = pieces.length - blocks.length;
  if (omitted > 0) blocks.push(`- … and ${omitted} more not shown`);
  // Consecutive list lines stay one list; a <details> block needs blank lines around it.
  const isListLine = (block: string) => block.startsWith('- ');
  const body = blocks.map((block, i) => (i === 0 ? '' : isListLine(blocks[i - 1]) && isListLine(block) ? '\n' : '\n\n') + block).join('');
  return `#### ${title}\n\n${body}`;
}

/** What the reader is missing, said at the end where a truncated comment is read last. */
function shorteningNote(plan: Plan, calls: Piece, resources: Piece[], notes: Piece[], maxLength: number): string {
  const summarized = resources.filter((p) => p.level === 1 && p.variants[0] !== p.variants[1]).length;
  const left: string[] = [];
  if (calls.level > 0 && plan.calls.length > 0) left.push('the API call list');
  if (summarized > 0) left.push(`the diffs of ${plural(summarized, 'resource')}`);
  const omittedResources = resources.filter((p) => p.level === 2).length;
  if (omittedResources > 0) left.push(plural(omittedResources, 'resource'));
  const omittedNotes = notes.filter((p) => p.level === 1).length;
  if (omittedNotes > 0) left.push(`${omittedNotes} of the errors and warnings`);
  return [
    '> [!NOTE]',
    `> This comment is shortened to stay within GitHub's ${maxLength.toLocaleString('en-US')}-character limit; not shown: ${left.join(', ')}.`,
    '> Run `streamform plan --format json` (or see the CI log) for the whole plan.',
  ].join('\n');
}

/** The highest rank of a create or update that is neither drift nor in error. */
const PLAIN_CHANGE = 1;

/** The rank of a resource's details: higher stays longer. */
function importance(change: ResourceChange, diagnostics: Diagnostic[]): number {
  if (diagnostics.some((d) => d.address === change.address && d.severity === 'error')) return 5;
  if (change.action === 'replace') return 4;
  if (change.action === 'delete') return 3;
  if (change.drift) return 2;
  return change.action === 'update' ? PLAIN_CHANGE : 0;
}

function shown(piece: Piece): string {
  return piece.variants[piece.level];
}

/** Upper bound of what a piece adds to the comment, separators included. */
function length(piece: Piece): number {
  const text = shown(piece);
  return text === '' ? 0 : text.length + 2;
}

function sectionsOverhead(sections: [string, Piece[]][]): number {
  return sections.reduce((sum, [title, pieces]) => sum + (pieces.length > 0 ? `#### ${title}\n\n`.length + 4 : 0), 0) + 1;
}

/** A code fence longer than any run of backticks inside, so no value can close it early. */
function fenced(language: string, lines: string[]): string {
  const longest = Math.max(0, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${language}`, ...lines, fence].join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
