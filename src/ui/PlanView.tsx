import { Box, Text } from 'ink';
import type { Plan } from '../core/plan.js';
import { planVerdict } from '../core/plan.js';
import { targetText } from '../render/format.js';
import { ACTION_COLOR, ACTION_SYMBOL, plural } from '../core/vocabulary.js';
import type { Line } from './plan-model.js';

const HEADER_HEIGHT = 3;

/** Lines left for the resource list once the header and footer are drawn (Ink redraws cleanly only below the terminal height). */
export function planBodyHeight(terminalRows: number, prompt: boolean): number {
  const footer = prompt ? 3 : 2;
  return Math.max(3, terminalRows - 1 - HEADER_HEIGHT - footer);
}

type Props = {
  readonly plan: Plan;
  readonly lines: readonly Line[];
  readonly offset: number;
  readonly bodyHeight: number;
  /** Show "Apply these changes? y/N" under the summary. */
  readonly prompt?: boolean;
  /** The body lists the API calls rather than the resources. */
  readonly showingCalls?: boolean;
  /** The answer once given, echoed after the question. */
  readonly answer?: boolean;
};

export function PlanView({ plan, lines, offset, bodyHeight, prompt = false, showingCalls = false, answer }: Props) {
  const visible = lines.slice(offset, offset + bodyHeight);
  const below = Math.max(0, lines.length - offset - visible.length);
  return (
    <Box flexDirection="column">
      <PlanHeader plan={plan} />
      {visible.map((line) => (
        <LineView key={line.key} line={line} />
      ))}
      <Text dimColor wrap="truncate-end">
        ↑↓ move · enter expand · c {showingCalls ? 'resources' : 'calls'} · {prompt ? 'y apply · n cancel' : 'q quit'}
        {offset > 0 || below > 0
          ? `   (${offset > 0 ? `↑ ${offset} more` : ''}${offset > 0 && below > 0 ? ', ' : ''}${below > 0 ? `↓ ${below} more` : ''})`
          : ''}
      </Text>
      <Text bold>{planVerdict(plan)}</Text>
      {prompt && <Text bold>Apply these changes? y/N{answer === undefined ? '' : answer ? ' yes' : ' cancelled'}</Text>}
    </Box>
  );
}

export function PlanHeader({ plan }: { readonly plan: Plan }) {
  const drifted = plan.changes.filter((c) => c.drift).length;
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = plan.diagnostics.length - errors;
  const counts = (['create', 'update', 'replace', 'delete'] as const).map((action) => (
    <Text key={action} color={plan.summary[action] > 0 ? ACTION_COLOR[action] : undefined} dimColor={plan.summary[action] === 0}>
      {ACTION_SYMBOL[action]}
      {plan.summary[action]} {action}
      {'  '}
    </Text>
  ));
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text wrap="truncate-end">
        <Text bold>streamform plan</Text> · project <Text bold>{plan.project}</Text> · {targetText(plan)}
      </Text>
      <Text wrap="truncate-end">
        {counts}
        <Text dimColor>· {plural(plan.calls.length, 'API call')}</Text>
        {drifted > 0 && <Text color="cyan"> · {drifted} drifted</Text>}
        {errors > 0 && <Text color="red"> · {plural(errors, 'error')}</Text>}
        {warnings > 0 && <Text color="yellow"> · {plural(warnings, 'warning')}</Text>}
      </Text>
    </Box>
  );
}

function LineView({ line }: { readonly line: Line }) {
  return (
    <Text wrap="truncate-end">
      {line.segments.map((segment, i) => (
        <Text key={i} color={segment.color} bold={segment.bold} dimColor={segment.dim}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}
