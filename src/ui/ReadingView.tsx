import { useEffect, useState } from 'react';
import { Text } from 'ink';
import type { DescribeProgress } from '../describe/index.js';
import { plural } from '../core/vocabulary.js';
import { spinnerFrame, SPINNER_MS } from './spinner.js';

/** What describe is reading, for people: "reading 60 stacks, 12 fleets, streaming images…" (a kind not counted yet by its name alone). */
export function readingText(reading: readonly DescribeProgress[]): string {
  const kinds = reading.map(({ kind, listed }) => (listed > 0 ? plural(listed, kind.noun, kind.plural) : kind.plural));
  return kinds.length ? `reading ${kinds.join(', ')}…` : 'reading…';
}

/** A spinner beside what is being read, while describe runs. */
export function ReadingView({ reading }: { readonly reading: readonly DescribeProgress[] }) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), SPINNER_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{spinnerFrame(now)}</Text> {readingText(reading)}
    </Text>
  );
}
