import { useEffect, useReducer, useRef, useState } from 'react';
import { useApp, useInput, useStdin } from 'ink';
import type { ApplyEvent, ApplySummary } from '../apply/events.js';
import { applyEvent, initialApplyViewState, type ApplyViewState } from './apply-model.js';
import { ApplyView } from './ApplyView.js';
import { useTerminalSize } from './use-terminal-size.js';

/** How the view ended: the applier's summary, its error, or a second Ctrl-C that gave up waiting. */
export type ApplyOutcome = { kind: 'finished'; summary: ApplySummary } | { kind: 'failed'; error: unknown } | { kind: 'abandoned' };

type Props = {
  readonly events: AsyncIterable<ApplyEvent>;
  /** First Ctrl-C: the caller stops starting new calls. */
  readonly onInterrupt?: () => void;
  /** Called once, just before the view exits. */
  readonly onExit: (outcome: ApplyOutcome) => void;
};

const TICK_MS = 100;

const received = (state: ApplyViewState, { event, at }: { event: ApplyEvent; at: number }) => applyEvent(state, event, at);

/** Live apply progress: the one place that consumes the events, reads Ctrl-C and ends the view. */
export function ApplyApp({ events, onInterrupt, onExit }: Props) {
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { rows } = useTerminalSize();
  const [state, dispatch] = useReducer(received, initialApplyViewState);
  const [ended, setEnded] = useState<{ error: unknown } | { abandoned: true } | 'done'>();
  const [now, setNow] = useState(Date.now);
  const interrupts = useRef(0);

  useEffect(() => {
    let active = true;
    (async () => {
      try {
        for await (const event of events) {
          if (!active) return;
          dispatch({ event, at: Date.now() });
        }
        setEnded('done');
      } catch (error) {
        setEnded({ error });
      }
    })();
    return () => {
      active = false;
    };
  }, [events]);

  useEffect(() => {
    if (ended) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [ended]);

  useEffect(() => {
    if (!ended) return;
    if (ended === 'done') {
      onExit(state.summary ? { kind: 'finished', summary: state.summary } : { kind: 'failed', error: new Error('apply ended without a summary') });
    } else {
      onExit('abandoned' in ended ? { kind: 'abandoned' } : { kind: 'failed', error: ended.error });
    }
    exit();
  }, [ended]);

  const interrupt = () => {
    interrupts.current += 1;
    if (interrupts.current > 1) {
      setEnded({ abandoned: true });
      return;
    }
    dispatch({ event: { type: 'stopping' }, at: Date.now() });
    onInterrupt?.();
  };
  // Keys need raw mode. Without it (stdin not a terminal) Ctrl-C is a SIGINT, which the caller handles:
  // it aborts the applier, whose 'stopping' event the view shows all the same.
  useInput((input, key) => key.ctrl && input === 'c' && interrupt(), { isActive: isRawModeSupported });

  return <ApplyView state={state} now={now} rows={rows} />;
}
