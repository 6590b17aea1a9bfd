/** "Did you mean …?" for misspelt keys and enum values. */

export function didYouMean(found: string, candidates: readonly string[]): string {
  const match = closest(found, candidates);
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

/** The candidate nearest to `found`, if it is near enough to be a plausible typo. */
export function closest(found: string, candidates: readonly string[]): string | undefined {
  const fold = (s: string) => s.toLowerCase().replace(/[-\s]/g, '_');
  const target = fold(found);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(target, fold(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(target.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
