import { setTimeout as sleep } from 'node:timers/promises';
import { createClients, type AwsClients, type AwsTarget } from '../aws/clients.js';
import { awsErrorMessage } from '../aws/errors.js';
import { UserError } from '../core/errors.js';
import type { Plan, PlannedCall } from '../core/plan.js';
import type { ApplyEvent, ApplyFailure, ApplySummary } from './events.js';
import { isKnownOperation, sendOperation } from './operations.js';
import { DEFAULT_RETRY, backoffDelay, isNotFound, isThrottlingError, isTransientError, type RetryPolicy } from './retry.js';
import { kindNamed } from '../kinds/index.js';
import type { KindDefinition } from '../kinds/types.js';
import { WaitError, waitFor } from './waiters.js';

export interface ApplyOptions {
  /** Resources applied at the same time within a phase (default 4). */
  concurrency?: number;
  /** Aborting stops starting new calls; calls in flight (with their retries and waits) finish. */
  signal?: AbortSignal;
  /** Longest wait for a resource to reach a state after a call (default: the waiter's own). */
  waitTimeoutMs?: number;
  /** The longest time between two polls while waiting (default: the waiter's own); polls start faster. */
  pollIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
}

export const DEFAULT_CONCURRENCY = 4;

/**
 * Clients for apply: one attempt per send and no client-side rate limiter, so that every retry and
 * every delay is apply's own and becomes an event (the SDK would retry and slow down invisibly).
 */
export function createApplyClients(target: AwsTarget = {}): AwsClients {
  return createClients({ ...target, maxAttempts: 1, retryMode: 'standard' });
}

/**
 * Executes the plan's calls and reports everything as events: `init` with the ordered call list,
 * then per call started / retried / waiting / succeeded / failed / skipped, `resource-finished` after
 * a resource's last call, and a final `summary`. It never prints.
 *
 * Phases run one after the other; within a phase, resources run concurrently and the calls of one
 * resource run in plan order. A failed call fails its resource and skips the rest of its calls.
 * Give it clients from `createApplyClients`.
 */
export async function* applyPlan(plan: Plan, clients: AwsClients, options: ApplyOptions = {}): AsyncGenerator<ApplyEvent> {
  const kinds = new Map(plan.changes.map((change) => [change.address, kindNamed(change.kind)]));
  for (const call of plan.calls) {
    const kind = kinds.get(call.address);
    if (!isKnownOperation(call.service, call.operation) || !kind?.operations.includes(call.operation)) {
      throw new UserError(`plan call ${call.id} (${call.address}): streamform cannot apply ${call.service}:${call.operation}`);
    }
    if (call.wait !== undefined && !kind.waiters?.[call.wait]) {
      throw new UserError(`plan call ${call.id} (${call.address}): ${kind.name} has no waiter ${call.wait}`);
    }
  }
  const queue = new EventQueue<ApplyEvent>();
  const run = new ApplyRun(plan, clients, options, (event) => queue.push(event));
  const done = run.execute().finally(() => queue.close());
  try {
    yield* queue.drain();
    await done;
  } finally {
    // The consumer may stop listening early: then start nothing new, but let calls in flight end.
    run.stop();
    await done.catch(() => undefined);
  }
}

/** 1 when anything failed or was skipped (interrupted included), else 0. */
export function exitCodeFor(summary: ApplySummary): number {
  return summary.failed > 0 || summary.skipped > 0 ? 1 : 0;
}

type ResourceStatus = 'succeeded' | 'failed' | 'skipped';
const SEVERITY: Record<ResourceStatus, number> = { succeeded: 0, skipped: 1, failed: 2 };

class ApplyRun {
  private readonly policy: RetryPolicy;
  private readonly remaining = new Map<string, number>();
  private readonly status = new Map<string, ResourceStatus>();
  /** When each resource was created in this run, for eventual-consistency retries. */
  private readonly createdAt = new Map<string, number>();
  private readonly kinds: Map<string, KindDefinition | undefined>;
  /** What each resource depends on, so that a failed one skips its dependents. */
  private readonly dependsOn: Map<string, string[]>;
  private readonly failures: ApplyFailure[] = [];
  /** Resources whose later calls are skipped: a call of theirs failed (not only some of its entries). */
  private readonly halted = new Set<string>();
  private readonly counts = { succeeded: 0, failed: 0, skipped: 0 };
  private stopping = false;
  private finished = false;
  /** Values resolved into inputs in this run (secrets): no event carries them. */
  private readonly secrets = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly clients: AwsClients,
    private readonly options: ApplyOptions,
    private readonly emit: (event: ApplyEvent) => void,
  ) {
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.kinds = new Map(plan.changes.map((change) => [change.address, kindNamed(change.kind)]));
    this.dependsOn = new Map(plan.changes.map((change) => [change.address, change.dependsOn]));
    for (const call of plan.calls) this.remaining.set(call.address, (this.remaining.get(call.address) ?? 0) + 1);
  }

  async execute(): Promise<void> {
    const started = Date.now();
    const { signal } = this.options;
    this.emit({ type: 'init', plan: this.plan, calls: this.plan.calls });
    const onAbort = () => this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) this.stop();
    try {
      for (const phase of phases(this.plan.calls)) {
        await runPool(byResource(phase), this.options.concurrency ?? DEFAULT_CONCURRENCY, (calls) => this.runResource(calls));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    this.finished = true;
    this.emit({
      type: 'summary',
      summary: { ...this.counts, durationMs: Date.now() - started, interrupted: this.stopping, failures: this.failures },
    });
  }

  /** A message with every resolved secret in it replaced by ***, should an answer quote what it was sent. */
  private redact(message: string): string {
    let out = message;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  stop(): void {
    if (this.stopping || this.finished) return;
    this.stopping = true;
    this.emit({ type: 'stopping' });
  }

  private async runResource(calls: PlannedCall[]): Promise<void> {
    for (const call of calls) {
      const reason = this.skipReason(call);
      if (reason) this.skip(call, reason);
      else await this.runCall(call);
      const left = this.remaining.get(call.address)! - 1;
      this.remaining.set(call.address, left);
      if (left === 0) this.emit({ type: 'resource-finished', address: call.address, status: this.status.get(call.address) ?? 'succeeded' });
    }
  }

  /** Why a call must not start: interrupted, its resource failed, or a resource it depends on did not succeed. */
  private skipReason(call: PlannedCall): string | undefined {
    if (this.stopping) return 'interrupted';
    if (this.halted.has(call.address)) return `an earlier call of ${call.address} failed`;
    const blocked = (this.dependsOn.get(call.address) ?? []).find((dependency) => ['failed', 'skipped'].includes(this.status.get(dependency) ?? ''));
    if (blocked) return `skipped: ${blocked} ${this.status.get(blocked)}`;
    return undefined;
  }

  private skip(call: PlannedCall, reason: string): void {
    this.counts.skipped++;
    this.mark(call.address, 'skipped');
    this.emit({ type: 'call-skipped', callId: call.id, reason });
  }

  private mark(address: string, status: ResourceStatus): void {
    const current = this.status.get(address) ?? 'succeeded';
    if (SEVERITY[status] > SEVERITY[current]) this.status.set(address, status);
  }

  private async runCall(call: PlannedCall): Promise<void> {
    const started = Date.now();
    this.emit({ type: 'call-started', callId: call.id, at: started });
    try {
      // A kind may plan references instead of values (secrets): resolved now, never kept in the plan.
      const resolved = await this.kinds.get(call.address)?.resolveInput?.(call, { clients: this.clients, project: this.plan.project });
      for (const secret of resolved?.secrets ?? []) this.secrets.add(secret);
      const output = await this.send(call, call.operation, resolved?.input ?? call.input);
      const failedEntries = this.kinds.get(call.address)?.entryErrors?.[call.operation]?.(output) ?? [];
      if (failedEntries.length) throw new EntryErrors(failedEntries);
      resolved?.sent?.();
      if (call.operation.startsWith('Create')) this.createdAt.set(call.address, Date.now());
      if (call.wait) await this.wait(call, output);
      this.counts.succeeded++;
      this.emit({ type: 'call-succeeded', callId: call.id, durationMs: Date.now() - started });
    } catch (error) {
      const message = this.redact(error instanceof WaitError || error instanceof EntryErrors ? error.message : awsErrorMessage(error));
      this.counts.failed++;
      this.mark(call.address, 'failed');
      if (!(error instanceof EntryErrors)) this.halted.add(call.address);
      this.failures.push({ address: call.address, callId: call.id, operation: call.operation, message });
      const name = (error as Error)?.name ?? 'Error';
      this.emit({ type: 'call-failed', callId: call.id, error: { name, message }, durationMs: Date.now() - started });
    }
  }

  /** Sends one operation for `call` (the call itself or one of its polls), retrying what is worth retrying. */
  private async send(call: PlannedCall, operation: string, input: Record<string, unknown>): Promise<unknown> {
    const history: SendHistory = { ambiguous: false, sawVisible: false };
    for (let attempt = 1; ; attempt++) {
      try {
        return await sendOperation(this.clients, call.service, operation, input);
      } catch (error) {
        if (history.ambiguous && this.kinds.get(call.address)?.retry?.doneOnResend?.[operation] === (error as Error)?.name) return undefined;
        const delayMs = await this.retryDelay(call, error, attempt, history);
        if (delayMs === undefined) throw error;
        history.ambiguous ||= isTransientError(error);
        this.emit({ type: 'call-retried', callId: call.id, attempt, error: this.redact(awsErrorMessage(error)), delayMs });
        await sleep(delayMs);
      }
    }
  }

  private async retryDelay(call: PlannedCall, error: unknown, attempt: number, history: SendHistory): Promise<number | undefined> {
    if (isThrottlingError(error) || isTransientError(error)) {
      return attempt < this.policy.maxAttempts ? backoffDelay(this.policy, attempt) : undefined;
    }
    if (isNotFound(error) && (await this.mayBeSettling(call, history))) return backoffDelay(this.policy, attempt);
    return undefined;
  }

  /**
   * Whether a "not found" may be eventual consistency: the resource was created moments ago in this
   * run and is not visible yet (its kind says how to look). Once it is visible, one more attempt
   * tells whether it just became so; a "not found" after that is about another resource (e.g. a fleet
   * that does not exist), which waiting would not bring.
   */
  private async mayBeSettling(call: PlannedCall, history: SendHistory): Promise<boolean> {
    const createdAt = this.createdAt.get(call.address);
    const probe = this.kinds.get(call.address)?.retry?.visibilityProbe?.(call.address);
    if (!probe || createdAt === undefined) return false;
    if (Date.now() - createdAt > this.policy.consistencyWindowMs || history.sawVisible) return false;
    try {
      await sendOperation(this.clients, call.service, probe.operation, probe.input);
      history.sawVisible = true;
    } catch {
      // Not visible yet (or the probe itself failed): keep waiting, within the window.
    }
    return true;
  }

  private async wait(call: PlannedCall, output: unknown): Promise<void> {
    const waiter = this.kinds.get(call.address)!.waiters![call.wait!];
    const input = waiter.input(call, output);
    if (!input) throw new Error(`${call.operation} returned nothing to wait for`);
    const poll = async (): Promise<unknown> => {
      try {
        return await this.send(call, waiter.operation, input);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    };
    await waitFor(
      waiter,
      input,
      poll,
      (state, elapsedMs) => this.emit({ type: 'call-waiting', callId: call.id, condition: call.wait!, state, elapsedMs }),
      { timeoutMs: this.options.waitTimeoutMs, intervalMs: this.options.pollIntervalMs },
    );
  }
}

/** A batch call whose answer names entries that failed: they failed, the others took effect. */
class EntryErrors extends Error {
  override readonly name = 'EntryErrors';
  constructor(entries: string[]) {
    super(`${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} failed (the others were applied): ${entries.join('; ')}`);
  }
}

/** What the attempts at one send have learnt so far. */
interface SendHistory {
  /** An attempt failed in a way that may have taken effect on the server. */
  ambiguous: boolean;
  /** A "not found" was answered while the resource was visible. */
  sawVisible: boolean;
}

function phases(calls: PlannedCall[]): PlannedCall[][] {
  return groupBy([...calls].sort((a, b) => a.phase - b.phase || a.id - b.id), (call) => call.phase);
}

function byResource(calls: PlannedCall[]): PlannedCall[][] {
  return groupBy(calls, (call) => call.address);
}

/** Groups in order of first appearance, keeping the order within each group. */
function groupBy<T, K>(items: T[], key: (item: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

async function runPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, size), items.length) }, worker));
}

/** An unbounded queue read as an async iterable: the run pushes events, the consumer pulls them. */
class EventQueue<T> {
  private readonly items: T[] = [];
  private wake?: () => void;
  private closed = false;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      if (this.items.length > 0) yield this.items.shift()!;
      else if (this.closed) return;
      else {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    }
  }
}
