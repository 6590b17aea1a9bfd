import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Compares `actual` with test/fixtures/render/<name>. Regenerate the golden files after an
 * intended change of the output with `UPDATE_GOLDEN=1 npx vitest run test/render`, and review the diff.
 */
export function expectGolden(name: string, actual: string): void {
  const file = new URL(`../fixtures/render/${name}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Removes SGR colour codes. */
export function stripColor(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
