/** Reading a file in blocks of text, as a reader thread does. */
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The text of `file`, in blocks of at most `size` bytes decoded as UTF-8 (a
 * character cut by a block's end comes whole in the next block).
 */
export function* readBlocks(file: string, size: number): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const bytes = new Uint8Array(size);
    const decoder = new TextDecoder();
    for (let read = readSync(fd, bytes); read > 0; read = readSync(fd, bytes)) {
      yield decoder.decode(bytes.subarray(0, read), { stream: true });
    }
    const last = decoder.decode();
    if (last !== '') yield last;
  } finally {
    closeSync(fd);
  }
}
