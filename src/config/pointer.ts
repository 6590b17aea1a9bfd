/** JSON pointers (RFC 6901), the address of a value in the config: "/stacks/0/Tags/team". */

export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + escape(String(s))).join('');
}

function escape(segment: string): string {
  return /[~/]/.test(segment) ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;
}

export function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function childPointer(pointer: string, segment: string | number): string {
  return pointer + pointerOf([segment]);
}

/** The pointer as people write it: /stacks/0/Tags/team~1a becomes stacks[0].Tags["team/a"]. */
export function displayPath(pointer: string): string {
  return segmentsOf(pointer)
    .map((s, i) => {
      if (/^(0|[1-9][0-9]*)$/.test(s)) return `[${s}]`;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}
