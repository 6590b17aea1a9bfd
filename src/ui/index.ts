/**
 * The interactive terminal UI for plan and apply. Commands load it (and React and Ink with it)
 * only when stdout is a terminal; everything else gets the plain renderers.
 */
import { createElement } from 'react';
import { render } from 'ink';
import type { ApplyEvent, ApplySummary } from '../apply/events.js';
import { UserError } from '../core/errors.js';
import { useColor } from '../cli/terminal.js';
import type { Plan } from '../core/plan.js';
import { renderPlanText } from '../render/text.js';
import { ApplyApp, type ApplyOutcome } from './ApplyApp.js';
import { PlanApp } from './PlanApp.js';

/** The plan, browsable with the keyboard, until `q`; printed as text when there is no keyboard to browse with. */
export async function showPlan(plan: Plan): Promise<void> {
  if (!process.stdin.isTTY) {
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
