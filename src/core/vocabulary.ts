/**
 * How plan values, actions and durations read on screen. Kept in one module so the terminal UI
 * and the text renderer can share a single vocabulary.
 */
import type { Action } from './plan.js';

export const ACTION_SYMBOL: Record<Action, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  'no-op': ' ',
};

/** Ink colour names; the same meaning everywhere an action is shown. */
export const ACTION_COLOR: Record<Action, string | undefined> = {
  create: 'green',
  update: 'yellow',
  replace: 'magenta',
  delete: 'red',
  'no-op': undefined,
};

/** A value in one line: strings quoted, structures in compact JSON-like form; `null` means cleared. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (value === null) return '(cleared)';
  return compact(value);
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, v]) => `${key}: ${compact(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** "850ms", "4.2s", "2m05s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
