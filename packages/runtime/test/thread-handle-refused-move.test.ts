/* eslint-disable sendsync/no-use-after-move -- a spawn refused after encoding its captures moves nothing: the JoinHandle is joined again on purpose */
import { describe, expect, it } from 'vitest';
import { move, park, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { Rc } from '@sendsync/runtime/rc';
// The host adapter the pool starts workers with: a test swaps its `startWorker` to inject a failed start.
import { host } from '../dist/host/node.js';

/*
 * A JoinHandle captured by a spawn that then fails stays the spawner's, as every capture does: its thread's worker
 * leaves this thread's pool only once the task is handed over (the encoder's deferred commit). Meanwhile the pool
 * does not collect the thread's result off the port that the handle's wire form names.
 */

const DROPPED = /use of dropped Arc/;

// First in the file: the pool's only worker runs the handle's thread, so the refused spawn must start a new one.
describe('a spawn that fails after encoding a JoinHandle gives it back', { timeout: 60_000 }, () => {
  it('a worker that fails to start: the handle still joins, with its result', () => {
    const arc = new Arc(6);
    const handle = spawn(move(arc.clone()), (arc) => {
      park();
      return { arc, n: 42 };
    });
    const startWorker = Object.getOwnPropertyDescriptor(host, 'startWorker')!;
    host.startWorker = () => {
      throw new Error('injected: no worker could start');
    };
    try {
      expect(() => spawn(move(handle), (handle) => handle.join().n)).toThrow(/injected/);
    } finally {
      Object.defineProperty(host, 'startWorker', startWorker);
    }
    handle.thread().unpark();
    const made = handle.join();
    expect([made.n, made.arc.value]).toEqual([42, 6]);
    made.arc.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('a capture refused after the handle (a dropped Arc, an Rc): the handle still joins, running or finished', () => {
    for (const finished of [false, true]) {
      const arc = new Arc(1);
      const handle = spawn(move(arc.clone(), finished), (arc, finished) => {
        if (!finished) park();
        return { arc, n: 7 };
      });
      while (finished && !handle.isFinished()) {
        // Spin until it ended: the handle then carries its result.
      }
      const dropped = new Arc(0);
      dropped.drop();
      expect(() => spawn(move(handle, dropped), (handle, dropped) => handle.join().n + dropped.value)).toThrow(DROPPED);
      const rc = new Rc(0);
      // @ts-expect-error -- an Rc is not Send: the run-time backstop refuses it too
      // eslint-disable-next-line sendsync/no-non-send-capture -- deliberate misuse: the run-time backstop must refuse it
      expect(() => spawn(move(handle, rc), (handle, rc) => handle.join().n + rc.value)).toThrow(/cannot be sent between threads safely/);
      // Spawns in between collect finished threads: not this one's result, which its handle still owns.
      for (let i = 0; i < 4; i++) expect(spawn(move(i), (i) => i * 2).join()).toBe(i * 2);
      handle.thread().unpark();
      const made = handle.join();
      expect([made.n, made.arc.value]).toEqual([7, 1]);
      made.arc.drop();
      expect(arc.strongCount()).toBe(1);
    }
  });

  it('after a refused move, a move that succeeds takes the handle whole to another thread', () => {
    const handle = spawn(() => {
      park();
      return 'done';
    });
    const dropped = new Arc(0);
    dropped.drop();
    expect(() => spawn(move(handle, dropped), (handle, dropped) => [handle.join(), dropped.value])).toThrow(DROPPED);
    const joiner = spawn(move(handle), (handle) => {
      handle.thread().unpark();
      return handle.join();
    });
    expect(joiner.join()).toBe('done');
    expect(() => handle.join()).toThrow(/moved to another thread/);
  });
});
