/**
 * A config diff as text, Markdown or JSON. Attribute rows come from the plan renderers' shared
 * formatting, so `diff` and `plan` show a change the same way.
 */
import type { Action } from '../core/plan.js';
import { changeRows, DEPTH_INDENT, formatLocation, type Row } from '../render/format.js';
import { GITHUB_COMMENT_LIMIT } from '../render/markdown.js';
import { ACTION_SYMBOL } from '../core/vocabulary.js';
import { hasConfigChanges, type ConfigChange, type ConfigChangeKind, type ConfigDiff } from './compare.js';

/** The plan's symbol for what each kind of config change amounts to. */
const ACTION_OF: Record<ConfigChangeKind, Action> = { added: 'create', changed: 'update', replaced: 'replace', removed: 'delete' };
const KINDS = Object.keys(ACTION_OF) as ConfigChangeKind[];
const WIDTH = 100;
const ROW_INDENT = '      ';

export function summaryText(diff: ConfigDiff): string {
  if (!hasConfigChanges(diff)) return 'No changes.';
  const { added, changed, replaced, removed } = diff.summary;
  const settings = diff.settings.length > 0 ? `, ${diff.settings.map((s) => s.path).join(', ')} changed` : '';
  return `Diff: ${added} added, ${changed} changed, ${replaced} replaced, ${removed} removed${settings}.`;
}

export function renderConfigDiffText(diff: ConfigDiff): string {
  const sections = [
    [`Comparing ${filesText(diff.base.files)} (base) with ${filesText(diff.head.files)} (head)`],
    diff.changes.length > 0 ? [legend(diff), '', ...diff.changes.flatMap(changeLines)] : [],
    diff.settings.length > 0 ? ['Settings:', ...rowsOf({ diffs: diff.settings }, WIDTH - ROW_INDENT.length).map(textRow)] : [],
    [summaryText(diff)],
  ];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}

export function renderConfigDiffJson(diff: ConfigDiff): string {
  return JSON.stringify(diff, null, 2) + '\n';
}

export function renderConfigDiffMarkdown(diff: ConfigDiff): string {
  const { added, changed, replaced, removed } = diff.summary;
  const head = [
    '### streamform diff',
    '',
    `Semantic changes from ${filesText(diff.base.files)} (base) to ${filesText(diff.head.files)} (head), without AWS access.`,
    '',
    `**${summaryText(diff)}**`,
  ];
  if (!hasConfigChanges(diff)) return head.join('\n') + '\n';
  head.push('', '| Added | Changed | Replaced | Removed |', '| ---: | ---: | ---: | ---: |', `| ${added} | ${changed} | ${replaced} | ${removed} |`);
  const details = (title: string, rows: Row[]) =>
    ['<details open><summary>' + title + '</summary>', '', '```diff', ...rows.map(diffLine), '```', '', '</details>'].join('\n');
  const blocks = diff.changes.map((change) => {
    const title = `<code>${escapeHtml(`${ACTION_SYMBOL[ACTION_OF[change.change]]} ${change.address}`)}</code> ${change.change}`;
    const where = ` (${escapeHtml(formatLocation(change.source))})`;
    return details(title + where, rowsOf(change, WIDTH));
  });
  if (diff.settings.length > 0) blocks.unshift(details('Settings', rowsOf({ diffs: diff.settings }, WIDTH)));
  return withinCommentLimit(head.join('\n'), blocks);
}

/** Room kept for the note that says what was left out. */
const NOTE_RESERVE = 300;

/** Whole blocks, in order, while they fit in one GitHub comment; then a note of how many were left out. */
function withinCommentLimit(head: string, blocks: string[]): string {
  let text = head;
  let shown = 0;
  for (const block of blocks) {
    if (text.length + 2 + block.length > GITHUB_COMMENT_LIMIT - NOTE_RESERVE) break;
    text += '\n\n' + block;
    shown++;
  }
  if (shown < blocks.length) {
    const left = blocks.length - shown;
    text += `\n\n> This comment is shortened to stay within GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character limit: ${left} more ${left === 1 ? 'entry is' : 'entries are'} not shown. \`streamform diff\` with \`--format text\` prints them all.`;
  }
  return text + '\n';
}

function legend(diff: ConfigDiff): string {
  const shown = KINDS.filter((kind) => diff.summary[kind] > 0);
  return `Symbols: ${shown.map((kind) => `${ACTION_SYMBOL[ACTION_OF[kind]]} ${kind}`).join(', ')}`;
}

function changeLines(change: ConfigChange): string[] {
  const symbol = ACTION_SYMBOL[ACTION_OF[change.change]];
  const where = `  (${formatLocation(change.source)})`;
  return [`${symbol.padStart(3)} ${change.address}${where}`, ...rowsOf(change, WIDTH - ROW_INDENT.length).map(textRow)];
}

function rowsOf(change: Pick<ConfigChange, 'diffs' | 'reason'>, width: number): Row[] {
  const { diffs, reason } = change;
  return changeRows({ address: '', kind: '', action: 'update', drift: false, adopt: false, reasonCode: 'update', dependsOn: [], liveDigest: null, diffs: diffs.map((d) => ({ impact: 'update', ...d })), ...(reason ? { reason } : {}) }, width);
}

function textRow({ sign, depth, text, continued }: Row): string {
  return `${ROW_INDENT}${' '.repeat(depth * DEPTH_INDENT)}${continued || sign === ' ' ? ' ' : sign} ${text}`;
}

/** GitHub colours `+` and `-` lines of a diff block, and `!` lines as changed. */
function diffLine({ sign, depth, text }: Row): string {
  return `${sign === '~' ? '!' : sign} ${' '.repeat(depth * DEPTH_INDENT)}${text}`;
}

function filesText(files: string[]): string {
  return files.length === 1 ? files[0] : `${files.length} files`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
