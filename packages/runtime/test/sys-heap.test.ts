import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { allocate, blockBytes, free, heapBuffer, heapStats } from '../dist/sys/heap.js';
import { startThread } from './fixtures/sync/threads.js';

const tasks = new URL('./fixtures/sync/heap-tasks.mjs', import.meta.url);

/* The process's shared heap (sys/heap.ts): blocks any thread allocates, reads and frees, by address. */

/**
 * 4 threads and this one allocate, fill, check and free blocks of many sizes at once, `rounds` each:
 * returns what each thread found changed in its blocks (0 when no block overlapped another).
 */
function allocateConcurrently(rounds: number): number[] {
  const threads = [1, 2, 3, 4].map((seed) =>
    spawn(move(seed, rounds), (seed, rounds) => {
      const held: [number, number][] = [];
      let wrong = 0;
      let random = seed * 7919;
      const next = (): number => (random = (random * 1103515245 + 12345) & 0x7fffffff);
      const check = ([address, size]: [number, number]): void => {
        const bytes = new Uint8Array(heapBuffer(), address, size);
        for (let i = 0; i < size; i += 61) if (bytes[i] !== seed) wrong++;
        if (bytes[size - 1] !== seed) wrong++;
        free(address);
      };
      for (let round = 0; round < rounds; round++) {
        const size = 8 + (next() % 20_000);
        const address = allocate(size);
        new Uint8Array(heapBuffer(), address, size).fill(seed);
        held.push([address, size]);
        if (held.length > 16) check(held.splice(next() % held.length, 1)[0]);
      }
      for (const block of held) check(block);
      return wrong;
    }),
  );
  const held: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const address = allocate(24);
    new Int32Array(heapBuffer(), address, 6).fill(round);
    held.push(address);
    if (held.length > 32) {
      const old = held.shift()!;
      const words = new Int32Array(heapBuffer(), old, 6);
      expect(words[0]).toBe(words[5]);
      free(old);
    }
  }
  for (const address of held) free(address);
  return threads.map((thread) => thread.join());
}

describe('the shared heap', { timeout: 120_000 }, () => {
  it('smoke: a block is aligned, big enough, zeroed on request, and reused once freed', () => {
    const a = allocate(100, true);
    expect(a % 8).toBe(0);
    expect(blockBytes(a)).toBeGreaterThanOrEqual(100);
    const bytes = new Uint8Array(heapBuffer(), a, 100);
    expect(bytes.every((byte) => byte === 0)).toBe(true);
    bytes.fill(0xab);
    free(a);
    // The same class hands the freed block out again, and zeroing clears what it held.
    const b = allocate(90, true);
    expect(b).toBe(a);
    expect(new Uint8Array(heapBuffer(), b, 90).every((byte) => byte === 0)).toBe(true);
    free(b);
  });

  it('freeing twice, or what is not a block, is an error', () => {
    const a = allocate(8);
    free(a);
    expect(() => free(a)).toThrow(/not a block in use/);
    expect(() => free(4)).toThrow(/not a block in use/);
    expect(() => allocate(-1)).toThrow(RangeError);
  });

  it("grows: a block past the buffer's length makes it longer, and the memory before stays", () => {
    const before = heapStats();
    const small = allocate(64);
    new Int32Array(heapBuffer(), small, 16).fill(7);
    const big = allocate(before.byteLength + (8 << 20));
    const after = heapStats();
    expect(after.byteLength).toBeGreaterThan(before.byteLength);
    const words = new Int32Array(heapBuffer(), big, blockBytes(big) >> 2);
    words[words.length - 1] = 42;
    expect(words[words.length - 1]).toBe(42);
    expect(new Int32Array(heapBuffer(), small, 16).every((word) => word === 7)).toBe(true);
    free(big);
    free(small);
  });

  it('a block made in one thread is read and freed in another: addresses cross as numbers', () => {
    const address = allocate(4096);
    new Float64Array(heapBuffer(), address, 512).fill(1.5);
    const worker = spawn(move(address), (address) => {
      const values = new Float64Array(heapBuffer(), address, 512);
      const sum = values.reduce((total, value) => total + value, 0);
      free(address);
      const mine = allocate(1 << 20);
      new Uint8Array(heapBuffer(), mine, 1 << 20).fill(9);
      return [sum, mine];
    });
    const [sum, mine] = worker.join();
    expect(sum).toBe(768);
    expect(new Uint8Array(heapBuffer(), mine, 1 << 20).every((byte) => byte === 9)).toBe(true);
    free(mine);
  });

  it('lots and lots: 4 threads and the main thread allocate, fill, check and free concurrently; nothing overlaps, memory is reused', () => {
    const rounds = 3000;
    expect(allocateConcurrently(rounds)).toEqual([0, 0, 0, 0]);
    // Reuse: the same work again cuts no new memory (each class has its free blocks).
    const top = heapStats().top;
    const again = spawn(move(rounds), (rounds) => {
      for (let round = 0; round < rounds; round++) free(allocate(8 + ((round * 7919) % 20_000)));
    });
    again.join();
    expect(heapStats().top).toBe(top);
  });

  /*
   * A thread that dies holding the heap's lock (terminated, out of memory) must stop nobody: a waiter takes
   * the lock over and finishes or undoes the step the dead thread was taking. The holder is a raw worker
   * (fixtures/sync/worker.mjs) that stops for good inside the lock, either just after writing its step in
   * the journal or just before its release, and is then terminated while threads wait to make channels.
   */
  describe('a thread terminated while it holds the lock', () => {
    /** Stops a thread in the lock, starts threads that make channels, terminates the holder; they must finish. */
    async function terminateHolderWhileOthersAllocate(at: 'or' | 'exchange', operation: 'allocate' | 'free', argument: number): Promise<void> {
      const flag = new Int32Array(new SharedArrayBuffer(8));
      const holder = startThread(tasks, 'stopInHeapLock', at, operation, argument, flag);
      expect(await Atomics.waitAsync(flag, 0, 0, 30_000).value).toBe('ok');
      const threads = [1, 2, 3].map((seed) =>
        spawn(move(seed), (seed) => {
          const [tx, rx] = channel<number>();
          tx.send(seed);
          const got = rx.recv();
          tx.drop();
          rx.drop();
          return got;
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 50)); // let them reach the lock
      await holder.terminate();
      expect(await Promise.all(threads.map((thread) => thread.joinAsync()))).toEqual([1, 2, 3]);
      const [tx, rx] = channel<string>();
      tx.send('main');
      expect(rx.recv()).toBe('main');
      tx.drop();
      rx.drop();
    }

    /** `block` (of 1000 bytes) heads its class's free list: the next allocation of the class gets it, and the one after another. */
    function expectNextOfItsClass(block: number): void {
      const again = allocate(1000);
      const next = allocate(1000);
      expect(again).toBe(block);
      expect(next).not.toBe(block);
      free(next);
      free(again);
    }

    for (const at of ['or', 'exchange'] as const) {
      const where = at === 'or' ? 'after writing its step down' : 'after its step, before the release';
      it(`taking a free block (${where}): the block goes back to its free list`, async () => {
        const block = allocate(1000);
        free(block);
        await terminateHolderWhileOthersAllocate(at, 'allocate', 1000);
        expectNextOfItsClass(block);
      }, 60_000);

      it(`cutting new memory, growing the buffer (${where}): the cut is undone`, async () => {
        const before = heapStats();
        const bytes = before.byteLength + (8 << 20);
        await terminateHolderWhileOthersAllocate(at, 'allocate', bytes);
        // Three channels' blocks (well under 8 MiB) were cut since, but not the dead thread's.
        expect(heapStats().top - before.top).toBeLessThan(8 << 20);
        const big = allocate(bytes);
        free(big);
      }, 60_000);

      it(`freeing a block (${where}): the free is finished, once`, async () => {
        const block = allocate(1000);
        await terminateHolderWhileOthersAllocate(at, 'free', block);
        expect(() => free(block)).toThrow(/not a block in use/);
        expectNextOfItsClass(block);
      }, 60_000);
    }

    it('the heap stays whole after the takeovers: threads allocate concurrently, nothing overlaps', () => {
      expect(allocateConcurrently(500)).toEqual([0, 0, 0, 0]);
    });
  });
});
