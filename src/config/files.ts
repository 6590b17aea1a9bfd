/**
 * Reading input files within limits: how many are open at once (a folder of thousands of files
 * must not run out of file descriptors, EMFILE), and how many bytes each may have.
 */
import { open, stat } from 'node:fs/promises';

/** Files open at the same time: far below any descriptor limit (ulimit -n is 256 on macOS), plenty for a disk. */
export const MAX_OPEN_FILES = 32;

let open_ = 0;
const waiting: (() => void)[] = [];

/** Runs `task` once fewer than MAX_OPEN_FILES tasks of this module are running. */
async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (open_ >= MAX_OPEN_FILES) await new Promise<void>((resume) => waiting.push(resume));
  open_++;
  try {
    return await task();
  } finally {
    open_--;
    waiting.shift()?.();
  }
}

/**
 * The file's bytes, or its size when it has more than `maxBytes` (then it is not read). The read
 * itself stops one byte past the limit, so a file that grows meanwhile is bounded too. Errors are
 * Node's (ENOENT, EISDIR, ...), for the caller to word.
 */
export function readBounded(path: string, maxBytes: number): Promise<Uint8Array | number> {
  return withSlot(async () => {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > maxBytes) return size;
      const chunks: Buffer[] = [];
      for await (const chunk of file.createReadStream({ start: 0, end: maxBytes, autoClose: false })) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      return bytes.length > maxBytes ? Math.max(bytes.length, (await file.stat()).size) : bytes;
    } finally {
      await file.close();
    }
  });
}

/** The sizes of these files, in order (a file that cannot be stat'ed counts as 0: reading it says why). */
export function sizesOf(paths: readonly string[]): Promise<number[]> {
  return Promise.all(paths.map((path) => withSlot(() => stat(path).then((info) => info.size, () => 0))));
}

/** "3.2 MB", for limits and sizes in messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}
