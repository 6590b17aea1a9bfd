/** Driving Ink components in tests: keys as a terminal sends them, and waiting for a frame. */
import type { render } from 'ink-testing-library';

export const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', ctrlC: '\u0003' } as const;

type Rendered = ReturnType<typeof render>;

/** The first frame (colour stripped) that satisfies `predicate`; fails with the last frame after `timeoutMs`. */
export async function frameWhere(app: Rendered, predicate: (frame: string) => boolean, timeoutMs = 2_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs}ms; last frame:\n${frame}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const frameWith = (app: Rendered, text: string) => frameWhere(app, (frame) => frame.includes(text));

/** Sends keys one at a time, letting React render between them. */
export async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** An event stream the test feeds by hand. */
export class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private closed = false;
  private failure: unknown;
  private wake?: () => void;

  push(...items: T[]): void {
    this.items.push(...items);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.failure = error;
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
