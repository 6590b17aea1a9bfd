/**
 * Whether to draw the live Ink UI: only on a real terminal, never in CI, and never when the
 * user asked for a machine format. Everything else gets plain, append-only output.
 */
export function isInteractive(format?: string): boolean {
  return format === undefined && Boolean(process.stdout.isTTY) && !isTruthy(process.env.CI);
}

/** Colour only on a terminal, never in CI (plain logs), and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && !isTruthy(process.env.CI);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
