/**
 * Apply's output without a terminal UI: one line per event, for CI logs (text) and for machines
 * (JSON lines). Both only read events.
 */
import type { PlannedCall } from '../core/plan.js';
import { formatDuration, plural } from '../core/vocabulary.js';
import type { ApplyEvent, ApplySummary } from './events.js';

export interface ReportOutput {
  /** A line of the record of what was done (stdout). */
  line(text: string): void;
  /** A transient progress note (stderr): waits, which would otherwise flood a log. */
  progress(text: string): void;
}

/** Repeated waiting notes for the same state are shown at most this often. */
const WAIT_NOTE_INTERVAL_MS = 15_000;

const ANSI = { red: 31, green: 32, yellow: 33, dim: 2 } as const;

/** Builds a text reporter: feed it every event in order. */
export function textReporter(out: ReportOutput, options: { color: boolean }): (event: ApplyEvent) => void {
  const paint = (style: keyof typeof ANSI, text: string) => (options.color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
  const calls = new Map<number, PlannedCall>();
  const waitNotes = new Map<number, { state?: string; at: number }>();
  const notApplied: string[] = [];
  let total = 0;
  const label = (callId: number) => {
    const call = calls.get(callId);
    return call ? `[${callId}/${total}] ${call.address}: ${call.operation}` : `[${callId}/${total}]`;
  };

  return (event) => {
    switch (event.type) {
      case 'init': {
        total = event.calls.length;
        for (const call of event.calls) calls.set(call.id, call);
        const resources = new Set(event.calls.map((call) => call.address)).size;
        out.line(`Applying ${plural(total, 'call')} to ${plural(resources, 'resource')}.`);
        return;
      }
      case 'call-started':
        out.line(`${label(event.callId)} started`);
        return;
      case 'call-retried':
        out.line(paint('yellow', `${label(event.callId)} attempt ${event.attempt} failed (${event.error}); retrying in ${formatDuration(event.delayMs)}`));
        return;
      case 'call-waiting': {
        const last = waitNotes.get(event.callId);
        if (last && last.state === event.state && event.elapsedMs - last.at < WAIT_NOTE_INTERVAL_MS) return;
        waitNotes.set(event.callId, { state: event.state, at: event.elapsedMs });
        out.progress(`${label(event.callId)} waiting for ${event.condition} (${event.state ?? 'not visible yet'}, ${formatDuration(event.elapsedMs)})`);
        return;
      }
      case 'call-succeeded':
        out.line(paint('green', `${label(event.callId)} done (${formatDuration(event.durationMs)})`));
        return;
      case 'call-failed':
        out.line(paint('red', `${label(event.callId)} failed: ${event.error.message}`));
        return;
      case 'call-skipped':
        out.line(paint('dim', `${label(event.callId)} skipped: ${event.reason}`));
        return;
      case 'resource-finished':
        if (event.status !== 'succeeded') notApplied.push(event.address);
        out.line(`${event.address}: ${RESOURCE_OUTCOME[event.status]}`);
        return;
      case 'stopping':
        out.line(paint('yellow', 'Stopping: calls in flight finish, no new calls start (Ctrl-C again to exit at once).'));
        return;
      case 'summary':
        for (const text of summaryLines(event.summary, notApplied)) out.line(text);
        return;
    }
  };
}

const RESOURCE_OUTCOME = { succeeded: 'applied', failed: 'FAILED', skipped: 'not applied' } as const;

/** The closing lines: counts, then each failure with the AWS message, then what was not applied. */
export function summaryLines(summary: ApplySummary, notApplied: string[]): string[] {
  const outcome = summary.interrupted ? 'Apply interrupted' : summary.failed > 0 ? 'Apply failed' : 'Apply complete';
  const lines = [
    `${outcome}: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.skipped} skipped, in ${formatDuration(summary.durationMs)}.`,
  ];
  for (const failure of summary.failures) lines.push(`  failed: ${failure.address} ${failure.operation}: ${failure.message}`);
  if (notApplied.length > 0) lines.push(`  not applied: ${notApplied.join(', ')}`);
  return lines;
}

/** JSON lines: each event as one object, the plan in `init` included. */
export function jsonReporter(out: ReportOutput): (event: ApplyEvent) => void {
  return (event) => out.line(JSON.stringify(event));
}
