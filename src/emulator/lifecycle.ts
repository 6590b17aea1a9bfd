/**
 * Transitional states (STARTING, STOPPING, *_IN_PROGRESS, PENDING, DELETING …) that lead to the
 * next state a fixed time after they are entered. Transitions are applied when a resource is read
 * (`settle`), so no timers run, and a resource read long after a change has gone through every
 * step that was due meanwhile, each one counted from the end of the step before.
 */
export interface LifecycleSpec<R, S extends string> {
  /** Each transitional state and where it leads; a state absent here is stable. */
  next: Partial<Record<S, (resource: R) => S>>;
  state(resource: R): S;
  /** Writes `state` into the resource, with whatever follows from it (status codes, counts). */
  enter(resource: R, state: S): void;
  /** A resource that stays in its transitional state (seeded as stuck, as AWS resources sometimes are). */
  held?(resource: R): boolean;
}

export class Lifecycle<R extends object, S extends string> {
  private readonly due = new WeakMap<R, number>();

  constructor(
    private readonly spec: LifecycleSpec<R, S>,
    private readonly durationMs: number,
  ) {}

  isTransitional(state: string): boolean {
    return Object.hasOwn(this.spec.next, state);
  }

  /** Moves `resource` to `state`; a transitional state moves on `durationMs` after `since`. */
  move(resource: R, state: S, since = Date.now()): void {
    this.spec.enter(resource, state);
    this.track(resource, since);
  }

  /** Starts the clock of the state the resource is in already (a seeded resource), without entering it again. */
  track(resource: R, since = Date.now()): void {
    if (this.isTransitional(this.spec.state(resource)) && !this.spec.held?.(resource)) this.due.set(resource, since + this.durationMs);
    else this.due.delete(resource);
  }

  /** Applies every transition that is due. Every read of a resource goes through here. */
  settle(resource: R): R {
    for (let at = this.due.get(resource); at !== undefined && Date.now() >= at; at = this.due.get(resource)) {
      this.move(resource, this.spec.next[this.spec.state(resource)]!(resource), at);
    }
    return resource;
  }
}
