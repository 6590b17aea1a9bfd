import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useInput, type Key } from 'ink';
import type { Plan } from '../core/plan.js';
import { initialPlanViewState, planLines, planRows, planViewReducer, scrollOffset, type PlanCommand } from './plan-model.js';
import { planBodyHeight, PlanView } from './PlanView.js';
import { useTerminalSize } from './use-terminal-size.js';

type Props = {
  readonly plan: Plan;
  /** `browse` ends on q; `confirm` asks "Apply these changes? y/N" and ends on the answer. */
  readonly mode: 'browse' | 'confirm';
  /** Called once, with the answer (always false in browse mode), just before the view exits. */
  readonly onExit: (approved: boolean) => void;
};

/** The interactive plan: the one place that reads keys and ends the view. */
export function PlanApp({ plan, mode, onExit }: Props) {
  const { exit } = useApp();
  const { columns, rows: terminalRows } = useTerminalSize();
  const rows = useMemo(() => planRows(plan), [plan]);
  const [state, setState] = useState(initialPlanViewState);
  const [answer, setAnswer] = useState<boolean>();
  const previousOffset = useRef(0);

  const bodyHeight = planBodyHeight(terminalRows, mode === 'confirm');
  const lines = useMemo(() => planLines(plan, rows, state, columns), [plan, rows, state, columns]);
  const offset = scrollOffset(lines, state.cursor, bodyHeight, previousOffset.current);
  previousOffset.current = offset;

  useEffect(() => {
    if (answer === undefined) return;
    onExit(answer);
    exit();
  }, [answer]);

  /** Handles one key; true once the view has its answer. */
  const handle = (input: string, key: Key): boolean => {
    const command = navigation(input, key);
    if (command) {
      setState((current) => planViewReducer(current, command, rows, Math.max(1, bodyHeight - 2)));
      return false;
    }
    if (mode === 'confirm') {
      setAnswer(input === 'y' || input === 'Y');
      return true;
    }
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) {
      setAnswer(false);
      return true;
    }
    return false;
  };

  useInput(
    (input, key) => {
      // Keys typed (or pasted) faster than they are read arrive as one string: take them one at a time.
      if (input.length <= 1 || key.ctrl || key.meta) return void handle(input, key);
      for (const character of input) if (handle(character, { ...key, return: character === '\r' })) return;
    },
    { isActive: answer === undefined },
  );

  return (
    <PlanView plan={plan} lines={lines} offset={offset} bodyHeight={bodyHeight} prompt={mode === 'confirm'} showingCalls={state.showCalls} answer={answer} />
  );
}

function navigation(input: string, key: Key): PlanCommand | undefined {
  if (key.ctrl || key.meta) return undefined;
  if (key.upArrow || input === 'k') return 'up';
  if (key.downArrow || input === 'j') return 'down';
  if (key.pageUp) return 'page-up';
  if (key.pageDown) return 'page-down';
  if (key.home || input === 'g') return 'first';
  if (key.end || input === 'G') return 'last';
  if (key.return || input === ' ') return 'toggle';
  if (input === 'c') return 'calls';
  return undefined;
}
