/**
 * Several targets applied at once as one run: their event streams merged into one, with call ids
 * numbered across targets and addresses naming their target, one `init` first and one summary
 * last. Whatever shows a run (plain lines, JSON lines, the terminal view) shows this one unchanged.
 */
import { combinedPlan, type Plan } from '../core/plan.js';
import type { ApplyEvent, ApplySummary } from './events.js';

export interface TargetApply {
  plan: Plan;
  /** Started when the run gets to it: at most `limit` targets apply at the same time. */
  events: () => AsyncIterable<ApplyEvent>;
}

export async function* mergeTargetEvents(targets: readonly TargetApply[], limit: number): AsyncGenerator<ApplyEvent> {
  const all = combinedPlan(targets.map((t) => t.plan));
  yield { type: 'init', plan: all, calls: all.calls };
  const offsets: number[] = [];
  targets.reduce((offset, target) => (offsets.push(offset), offset + target.plan.calls.length), 0);
  const started = Date.now();
  const summaries: ApplySummary[] = [];
  let stopping = false;
  type Pending = Promise<{ index: number; result: IteratorResult<ApplyEvent> }>;
  const active = new Map<number, { iterator: AsyncIterator<ApplyEvent>; pending: Pending }>();
  const pull = (index: number, iterator: AsyncIterator<ApplyEvent>) => active.set(index, { iterator, pending: iterator.next().then((result) => ({ index, result })) });
  let next = 0;
  const startMore = () => {
    while (active.size < limit && next < targets.length) {
      const index = next++;
      pull(index, targets[index].events()[Symbol.asyncIterator]());
    }
  };
  startMore();
  while (active.size > 0) {
    const { index, result } = await Promise.race([...active.values()].map((a) => a.pending));
    const { iterator } = active.get(index)!;
    if (result.done) {
      active.delete(index);
      startMore();
      continue;
    }
    pull(index, iterator);
    const event = relabel(result.value, targets[index].plan.target.name, offsets[index]);
    if (event.type === 'init') continue;
    if (event.type === 'summary') summaries.push(event.summary);
    else if (event.type === 'stopping') {
      if (!stopping) yield event;
      stopping = true;
    } else yield event;
  }
  yield { type: 'summary', summary: sumOf(summaries, Date.now() - started) };
}

function relabel(event: ApplyEvent, name: string | undefined, offset: number): ApplyEvent {
  const at = (address: string) => (name === undefined ? address : `${name}:${address}`);
  switch (event.type) {
    case 'init':
    case 'stopping':
      return event;
    case 'resource-finished':
      return { ...event, address: at(event.address) };
    case 'summary':
      return { ...event, summary: { ...event.summary, failures: event.summary.failures.map((f) => ({ ...f, address: at(f.address), callId: f.callId + offset })) } };
    default:
      return { ...event, callId: event.callId + offset };
  }
}

function sumOf(summaries: ApplySummary[], durationMs: number): ApplySummary {
  return {
    succeeded: summaries.reduce((sum, s) => sum + s.succeeded, 0),
    failed: summaries.reduce((sum, s) => sum + s.failed, 0),
    skipped: summaries.reduce((sum, s) => sum + s.skipped, 0),
    durationMs,
    interrupted: summaries.some((s) => s.interrupted),
    failures: summaries.flatMap((s) => s.failures),
  };
}
