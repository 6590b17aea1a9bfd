const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** How often a spinner moves on, and so how often a view with one redraws. */
export const SPINNER_MS = 80;

/** The spinner's frame at `now` (ms): every spinner on screen turns together. */
export function spinnerFrame(now: number): string {
  return FRAMES[Math.floor(now / SPINNER_MS) % FRAMES.length];
}
