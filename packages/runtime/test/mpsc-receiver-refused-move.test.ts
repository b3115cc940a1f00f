/* eslint-disable sendsync/no-use-after-move -- a spawn refused after encoding its captures moves nothing: the Receiver is used again on purpose */
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel } from '@sendsync/runtime/sync/mpsc';
// The host adapter the pool starts workers with: a test swaps its `startWorker` to inject a failed start.
import { host } from '../dist/host/node.js';

/*
 * A Receiver captured by a spawn that then fails stays the spawner's, as every capture does: its encoding takes its
 * inbox's ports and pending values only once the task is handed over. Each message sent before keeps its place, the
 * links of other threads still reach it, and a later spawn that succeeds moves it whole.
 */

const MOVED = /borrow of moved value/;

// First in the file: the pool has no worker yet, so this spawn must start one.
describe('a spawn that fails after encoding a Receiver gives it back', { timeout: 60_000 }, () => {
  it('a worker that fails to start: every message sent before is still received, counts exact', () => {
    const [tx, rx] = channel<number | Arc<number>>();
    const arc = new Arc(7);
    tx.send(1);
    // Holds shared memory of its own: it waits in the receiver's inbox, beside its record.
    tx.send(arc.clone());
    const startWorker = Object.getOwnPropertyDescriptor(host, 'startWorker')!;
    host.startWorker = () => {
      throw new Error('injected: no worker could start');
    };
    try {
      expect(() => spawn(move(rx), (rx) => rx.recv())).toThrow(/injected/);
    } finally {
      Object.defineProperty(host, 'startWorker', startWorker);
    }
    expect(rx.recv()).toBe(1);
    const received = rx.recv() as Arc<number>;
    expect(received.value).toBe(7);
    received.drop();
    expect(arc.strongCount()).toBe(1);
    // A thread's sends still reach it.
    spawn(move(tx.clone(), arc.clone()), (tx, arc) => {
      tx.send(2);
      tx.send(arc);
    }).join();
    expect(rx.recv()).toBe(2);
    (rx.recv() as Arc<number>).drop();
    expect(arc.strongCount()).toBe(1);
    // Now it moves, with a message pending in its inbox: the thread receives it, and the last sender's drop ends it.
    tx.send(arc.clone());
    const handle = spawn(move(rx), (rx) => {
      const got: number[] = [];
      for (const value of rx) {
        if (typeof value === 'number') got.push(value);
        else got.push(value.value);
      }
      return got;
    });
    expect(() => rx.tryRecv()).toThrow(MOVED);
    tx.send(3);
    tx.drop();
    expect(handle.join()).toEqual([7, 3]);
    expect(arc.strongCount()).toBe(1);
  });

  it('a capture refused after the Receiver, in the main thread and in a spawned one: it keeps receiving', () => {
    for (let round = 0; round < 3; round++) {
      const [tx, rx] = channel<number>();
      const gone = new Arc(0);
      spawn(move(gone), (gone) => gone.value).join();
      tx.send(round);
      expect(() => spawn(move(rx, gone), (rx, gone) => rx.recv() + gone.value)).toThrow(MOVED);
      expect(rx.recv()).toBe(round);

      // The receiver in a thread, whose own spawn is refused: it receives on, and its end drops it.
      tx.send(10);
      const [reply, replies] = channel<string>();
      const handle = spawn(move(rx, reply), (rx, reply) => {
        const dropped = new Arc(0);
        dropped.drop();
        try {
          spawn(move(rx, dropped), (rx, dropped) => rx.recv() + dropped.value);
        } catch (error) {
          reply.send((error as Error).message);
        }
        return [rx.recv(), rx.recv()];
      });
      expect(replies.recv()).toMatch(/use of dropped/);
      tx.send(11);
      expect(handle.join()).toEqual([10, 11]);
      expect(() => tx.send(12)).toThrow(SendError);
    }
  });

  it('moved for real, it leaves nothing behind: a send after the thread ends fails, and rx reads as moved', () => {
    const [tx, rx] = channel<number>();
    tx.send(1);
    const handle = spawn(move(rx), (rx) => [rx.recv(), rx.recv()]);
    tx.send(2);
    expect(handle.join()).toEqual([1, 2]);
    expect(() => tx.send(3)).toThrow(SendError);
    expect(() => rx.recv()).toThrow(MOVED);
    expect(() => rx.recv()).not.toThrow(RecvError);
  });
});
