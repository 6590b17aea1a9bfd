import { Box, Static, Text } from 'ink';
import type { ApplySummary } from '../apply/events.js';
import type { Plan, PlannedCall } from '../core/plan.js';
import { targetText } from '../render/format.js';
import { waitLabel } from '../kinds/index.js';
import { formatDuration, plural } from '../core/vocabulary.js';
import { liveCalls, type ApplyViewState, type CallProgress } from './apply-model.js';
import { spinnerFrame } from './spinner.js';

type Props = {
  readonly state: ApplyViewState;
  /** The clock the spinner and elapsed times are drawn at. */
  readonly now: number;
  /** Terminal rows: pending calls beyond them are counted, not listed, so Ink can redraw in place. */
  readonly rows: number;
};

type StaticItem = { readonly kind: 'header'; readonly plan: Plan } | { readonly kind: 'call'; readonly progress: CallProgress };

export function ApplyView({ state, now, rows }: Props) {
  if (!state.plan) return <Text dimColor>Starting apply…</Text>;
  const columns = columnWidths(state.calls.map((p) => p.call));
  const items: StaticItem[] = [{ kind: 'header', plan: state.plan }, ...state.finished.map((progress) => ({ kind: 'call' as const, progress }))];
  const { running, pending } = liveCalls(state);
  const room = Math.max(1, rows - 2 - running.length - (state.stopping ? 1 : 0));
  const shownPending = pending.length > room ? pending.slice(0, room - 1) : pending;
  return (
    <>
      <Static items={items}>
        {(item) =>
          item.kind === 'header' ? (
            <ApplyHeader key="header" plan={item.plan} />
          ) : (
            <CallRow key={item.progress.call.id} progress={item.progress} columns={columns} now={now} />
          )
        }
      </Static>
      <Box flexDirection="column">
        {running.map((progress) => (
          <CallRow key={progress.call.id} progress={progress} columns={columns} now={now} />
        ))}
        {shownPending.map((progress) => (
          <CallRow key={progress.call.id} progress={progress} columns={columns} now={now} />
        ))}
        {shownPending.length < pending.length && <Text dimColor>{`  … ${pending.length - shownPending.length} more pending`}</Text>}
        {state.stopping && !state.summary && (
          <Text color="yellow" bold>
            stopping… no new calls start; waiting for {plural(running.length, 'call')} in flight (Ctrl-C again to exit now)
          </Text>
        )}
        {state.summary && <ApplySummaryView summary={state.summary} />}
      </Box>
    </>
  );
}

function ApplyHeader({ plan }: { readonly plan: Plan }) {
  return (
    <Box marginBottom={1}>
      <Text>
        <Text bold>streamform apply</Text> · project <Text bold>{plan.project}</Text> · {targetText(plan)} · {plural(plan.calls.length, 'call')}
      </Text>
    </Box>
  );
}

interface Columns {
  readonly id: number;
  readonly operation: number;
  readonly address: number;
}

function columnWidths(calls: readonly PlannedCall[]): Columns {
  const widest = (values: string[]) => Math.max(0, ...values.map((v) => v.length));
  return {
    id: String(calls.length).length,
    operation: widest(calls.map((c) => c.operation)),
    address: Math.min(48, widest(calls.map((c) => c.address))),
  };
}

function CallRow({ progress, columns, now }: { readonly progress: CallProgress; readonly columns: Columns; readonly now: number }) {
  const { call, status } = progress;
  const icon = {
    pending: <Text dimColor>·</Text>,
    running: <Text color="cyan">{spinnerFrame(now)}</Text>,
    succeeded: <Text color="green">✔</Text>,
    failed: <Text color="red">✖</Text>,
    skipped: <Text color="yellow">↷</Text>,
  }[status];
  return (
    <Text wrap="truncate-end">
      {icon} <Text dimColor>{String(call.id).padStart(columns.id)}</Text> <Text bold={status === 'running'}>{call.operation.padEnd(columns.operation)}</Text>{' '}
      {call.address.padEnd(columns.address) + '  '}
      <CallDetail progress={progress} now={now} />
    </Text>
  );
}

function CallDetail({ progress, now }: { readonly progress: CallProgress; readonly now: number }) {
  const retries = progress.retries > 0 ? ` (${plural(progress.retries, 'retry', 'retries')})` : '';
  switch (progress.status) {
    case 'pending':
      return <Text dimColor>pending</Text>;
    case 'succeeded':
      return <Text dimColor>{formatDuration(progress.durationMs ?? 0) + retries}</Text>;
    case 'failed':
      return (
        <Text color="red">
          {formatDuration(progress.durationMs ?? 0)} {progress.error}
        </Text>
      );
    case 'skipped':
      return <Text color="yellow">skipped: {progress.skipReason}</Text>;
    case 'running': {
      const elapsed = formatDuration(now - (progress.startedAt ?? now));
      if (progress.wait) {
        const label = waitLabel(progress.wait.condition);
        const state = progress.wait.state ? ` (${progress.wait.state})` : '';
        return (
          <Text color="cyan">
            waiting for {label}
            {state}, {formatSeconds(now - progress.wait.since)}
          </Text>
        );
      }
      if (progress.retry) {
        return (
          <Text color="yellow">
            {elapsed} retry {progress.retry.attempt} in {formatDuration(progress.retry.delayMs)}: {progress.retry.error}
          </Text>
        );
      }
      return <Text>{elapsed}</Text>;
    }
  }
}

/** Waits are long and coarse: whole seconds read calmer than a ticking tenth. */
function formatSeconds(ms: number): string {
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}

export function ApplySummaryView({ summary }: { readonly summary: ApplySummary }) {
  const ok = summary.failed === 0 && summary.skipped === 0 && !summary.interrupted;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold color={ok ? 'green' : 'red'}>
        {summary.interrupted ? 'Apply stopped' : ok ? 'Apply complete' : 'Apply finished with problems'}: {summary.succeeded} succeeded, {summary.failed}{' '}
        failed, {summary.skipped} skipped in {formatDuration(summary.durationMs)}.
      </Text>
      {summary.failures.map((failure) => (
        <Text key={failure.callId} color="red">
          ✖ {failure.address} {failure.operation} (call {failure.callId}): {failure.message}
        </Text>
      ))}
    </Box>
  );
}
