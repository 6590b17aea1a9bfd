/**
 * The interactive terminal UI for plan and apply. Commands load it (and React and Ink with it)
 * only when stdout is a terminal; everything else gets the plain renderers.
 */
// First: it settles whether Ink may colour before Ink loads.
import './plain.js';
import { createElement } from 'react';
import { render } from 'ink';
import type { ApplyEvent, ApplySummary } from '../apply/events.js';
import { UserError } from '../core/errors.js';
import { useColor } from '../cli/terminal.js';
import type { DescribeProgress } from '../describe/index.js';
import type { Plan } from '../core/plan.js';
import { renderPlanText } from '../render/text.js';
import { ApplyApp, type ApplyOutcome } from './ApplyApp.js';
import { PlanApp } from './PlanApp.js';
import { planRows } from './plan-model.js';
import { ReadingView } from './ReadingView.js';

/**
 * The plan, browsable with the keyboard, until `q`. Printed as text instead when there is no keyboard
 * to browse with, or nothing to browse ("No changes."), as apply does, so that the command ends at once.
 */
export async function showPlan(plan: Plan): Promise<void> {
  if (!process.stdin.isTTY || (planRows(plan).length === 0 && plan.diagnostics.length === 0)) {
    process.stdout.write(renderPlanText(plan, { color: useColor(), width: process.stdout.columns }));
    return;
  }
  await planView(plan, 'browse');
}

/** The plan, then "Apply these changes? y/N": true only for `y`. */
export async function confirmPlan(plan: Plan): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UserError('cannot ask for approval: standard input is not a terminal; pass --yes to apply without asking');
  return planView(plan, 'confirm');
}

/** Runs describe with a spinner that says what it reads ("reading 60 stacks, 12 fleets…"), erased once it ends. */
export async function withReadingSpinner<T>(read: (onProgress: (reading: readonly DescribeProgress[]) => void) => Promise<T>): Promise<T> {
  const app = render(createElement(ReadingView, { reading: [] }));
  try {
    return await read((reading) => app.rerender(createElement(ReadingView, { reading })));
  } finally {
    // An empty last frame erases the spinner (a frame still pending would draw it again after a clear).
    app.rerender(null);
    app.unmount();
  }
}

async function planView(plan: Plan, mode: 'browse' | 'confirm'): Promise<boolean> {
  let approved = false;
  const app = render(createElement(PlanApp, { plan, mode, onExit: (answer) => (approved = answer) }), { exitOnCtrlC: false });
  await app.waitUntilExit();
  return approved;
}

/**
 * Live progress of an apply until its summary. The first Ctrl-C calls `onInterrupt` and shows that
 * apply is stopping; a second one exits the process at once (code 130), as a user pressing it twice means.
 * Ctrl-C is read as a key; when standard input is not a terminal it is a SIGINT, for the caller to handle.
 */
export async function renderApplyEvents(events: AsyncIterable<ApplyEvent>, options: { onInterrupt?: () => void } = {}): Promise<ApplySummary> {
  let outcome = { kind: 'abandoned' } as ApplyOutcome;
  const app = render(createElement(ApplyApp, { events, onInterrupt: options.onInterrupt, onExit: (end) => (outcome = end) }), { exitOnCtrlC: false });
  await app.waitUntilExit();
  switch (outcome.kind) {
    case 'finished':
      return outcome.summary;
    case 'failed':
      throw outcome.error;
    case 'abandoned':
      process.stderr.write('streamform: apply abandoned; calls already sent may still complete, run plan to see where things stand\n');
      process.exit(130);
  }
}
