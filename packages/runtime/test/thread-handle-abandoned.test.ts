import { describe, expect, it } from 'vitest';
import { move, park, spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { osThreadId, osThreadRuns, osThreadsVisible } from './fixtures/thread/os-thread.js';

/*
 * A JoinHandle that left the thread that spawned it (received through a move, or kept in a lock's value) and is
 * dropped unjoined there detaches its thread, as in the spawning thread; and since no pool collects that run, the
 * worker it ran on ends after it (protocol.ts' `Detach.ABANDONED`) instead of waiting for a collection forever.
 * Seen through the worker's operating-system thread (Linux's /proc), polled for a bounded time.
 */

/** Polls until the operating-system thread `tid` has ended; bounded. */
function ends(tid: number): boolean {
  const deadline = Date.now() + 30_000;
  while (osThreadRuns(tid) && Date.now() < deadline) {
    // The worker ends once its run is over.
  }
  return !osThreadRuns(tid);
}

describe.runIf(osThreadsVisible)('an abandoned run', { timeout: 120_000 }, () => {
  it('a handle received by another thread and dropped there while its thread runs: the worker ends after the run', () => {
    const [tx, rx] = channel<number>();
    const handle = spawn(move(tx), (tx) => {
      tx.send(osThreadId());
      park();
      return 1;
    });
    const tid = rx.recvTimeout(30_000);
    const thread = handle.thread();
    spawn(move(handle), (handle) => handle.drop()).join();
    thread.unpark();
    expect(ends(tid)).toBe(true);
  });

  it('the same, dropped after its thread finished with a result that needs a message', () => {
    const [tx, rx] = channel<number>();
    const arc = new Arc(0);
    const handle = spawn(move(tx, arc.clone()), (tx, arc) => {
      tx.send(osThreadId());
      park();
      return { arc };
    });
    const tid = rx.recvTimeout(30_000);
    // Still running as its handle leaves (a thread finished first is collected here, its worker back in this pool).
    spawn(move(handle), (handle) => {
      handle.thread().unpark();
      while (!handle.isFinished());
      handle.drop();
    }).join();
    expect(ends(tid)).toBe(true);
    expect(arc.strongCount()).toBe(1);
  });

  it("a handle that a lock's value leaves out: the worker ends after the run", () => {
    const [tx, rx] = channel<number>();
    const slot = new Mutex<JoinHandle<number> | null>(
      spawn(move(tx), (tx) => {
        tx.send(osThreadId());
        park();
        return 1;
      }),
    );
    const tid = rx.recvTimeout(30_000);
    {
      using guard = slot.lock();
      guard.value!.thread().unpark();
    }
    {
      // Overwritten without being read under this guard: the lock drops it (read and left out, it would be the reader's).
      using guard = slot.lock();
      guard.value = null;
    }
    expect(ends(tid)).toBe(true);
  });
});
