import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel as NamedChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Builder, ThreadExitError, move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel, type Receiver } from '@sendsync/runtime/sync/mpsc';
import { COURIER_CHANNEL, courierLines } from '../dist/internal/courier.js';
import { panicCauseOf } from './fixtures/thread/panic-cause.js';

/*
 * A message holding shared memory of its own (an Arc, a Mutex, an atomic, a collection) reaches its receiver from any
 * thread: directly where the receiver's thread or a link is at hand, else through the courier (internal/courier.ts).
 * The cases every host runs (an Arc<Mutex>, an AtomicI32 and a Vec to the main thread, request/reply, the Rust book's
 * pool, mixed messages, a lock's table) are in fixtures/hosts/courier.mjs, run by hosts.test.ts on this Node too.
 */

const THREADS = 4;
const MIB = 1024 * 1024;
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'mpsc');

/** The lines the courier holds once they fall to `bound`, or after 30 s (each is let go as its news arrives). */
async function settledLines(bound: number): Promise<number> {
  let lines = courierLines();
  for (const deadline = Date.now() + 30_000; lines > bound && Date.now() < deadline; lines = courierLines()) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return lines;
}

describe('messages holding shared memory, from any thread', { timeout: 120_000 }, () => {
  it("the courier's shared name carries only hellos: a thread that runs no event loop is sent nobody else's values", () => {
    // Every instance of a name gets what the others post on it, and one in a thread that runs no event loop (blocked,
    // an idle worker) keeps it queued, shared memory and all: so values must go on names of their own.
    const listener = new NamedChannel(COURIER_CHANNEL);
    try {
      const MESSAGES = 1_000;
      const [tx, rx] = channel<Arc<number>>();
      const handle = spawn(move(tx, MESSAGES), (tx, messages) => {
        for (let i = 0; i < messages; i++) tx.send(new Arc(i));
      });
      let sum = 0;
      for (const arc of rx) {
        sum += arc.value;
        arc.drop();
      }
      handle.join();
      expect(sum).toBe((MESSAGES * (MESSAGES - 1)) / 2);
      // The main thread never ran its event loop meanwhile: whatever was posted on the name is still queued here.
      const seen: unknown[] = [];
      // Node reads a BroadcastChannel like a port (its docs say so); @types/node types only MessagePort.
      const queue = listener as unknown as MessagePort;
      for (let received = receiveMessageOnPort(queue); received !== undefined; received = receiveMessageOnPort(queue)) {
        seen.push(received.message);
      }
      expect(seen.length).toBeLessThanOrEqual(THREADS);
      for (const message of seen) expect(Object.keys(message as object)).toContain('hello');
    } finally {
      listener.close();
    }
  });

  it('a sibling sends Arcs to the receiver of another sibling that waits in recv()', () => {
    const [tx, rx] = channel<Arc<number>>();
    const arc = new Arc(7);
    const receiver = spawn(move(rx), (rx) => {
      let sum = 0;
      for (const value of rx) {
        sum += value.value;
        value.drop();
      }
      return sum;
    });
    const senders = Array.from({ length: THREADS }, () =>
      spawn(move(tx.clone(), arc.clone()), (tx, arc) => {
        for (let i = 0; i < 250; i++) tx.send(arc.clone());
        arc.drop();
        tx.drop();
      }),
    );
    tx.drop();
    for (const sender of senders) sender.join();
    expect(receiver.join()).toBe(THREADS * 250 * 7);
    expect(arc.strongCount()).toBe(1);
  });

  it('Arcs sent through the courier and never received are dropped with the receiver: the count is back to 1', () => {
    const arc = new Arc(1);
    const [tx, rx] = channel<Arc<number>>();
    spawn(move(tx, arc.clone()), (tx, arc) => {
      for (let i = 0; i < 20; i++) tx.send(arc.clone());
      arc.drop();
    }).join();
    expect(arc.strongCount()).toBe(21);
    rx.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('Arcs sent through the courier and never received are dropped when the thread holding the receiver ends', () => {
    const arc = new Arc(1);
    const [tx, rx] = channel<Arc<number>>();
    const [go, goRx] = channel<number>();
    // The receiver moves into a thread that ends without taking the messages, nor dropping it.
    const receiver = spawn(move(rx, goRx), (rx, goRx) => {
      goRx.recv();
      rx.recv().drop();
      return 1;
    });
    const sender = spawn(move(tx, arc.clone()), (tx, arc) => {
      for (let i = 0; i < 20; i++) tx.send(arc.clone());
      arc.drop();
      return tx; // the Sender comes back
    });
    const back = sender.join();
    go.send(0);
    expect(receiver.join()).toBe(1); // it took one, and its Receiver was dropped as it ended: the other 19 with it
    expect(arc.strongCount()).toBe(1);
    let refused: unknown;
    try {
      back.send(arc.clone());
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SendError);
    (refused as SendError<Arc<number>>).value.drop(); // a refused send gives the value back
    back.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('the courier lets go of the line of each thread that ended: 40 threads on workers of their own leave it holding a few', async () => {
    const [tx, rx] = channel<Arc<number>>();
    const arc = new Arc(1);
    for (let i = 0; i < 40; i++) {
      // A stack size of its own: a worker of its own, ended after the thread.
      new Builder().stackSize(1 << 20).spawn(move(tx.clone(), arc.clone()), (tx, arc) => tx.send(arc)).join();
      rx.recv().drop();
    }
    // The main thread's line and those of pooled threads still running; each line is let go as its goodbye arrives.
    expect(await settledLines(THREADS + 2)).toBeLessThanOrEqual(THREADS + 2);
    expect(arc.strongCount()).toBe(1);
  });

  it('a Receiver beside an Arc in one message takes the courier on Node too, to the main thread: connected, counts exact', () => {
    const [tx, rx] = channel<{ arc: Arc<number>; rx: Receiver<number> }>();
    const arc = new Arc(5);
    const ROUNDS = 20;
    const innerSenders = spawn(move(tx, arc.clone(), ROUNDS), (tx, arc, rounds) => {
      const senders = [];
      for (let i = 0; i < rounds; i++) {
        const [innerTx, inner] = channel<number>();
        innerTx.send(i);
        tx.send({ arc: arc.clone(), rx: inner });
        innerTx.send(100);
        senders.push(innerTx);
      }
      arc.drop();
      return senders;
    }).join();
    let sum = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const message = rx.recv();
      sum += message.arc.value + message.rx.recv() + message.rx.recv();
      message.arc.drop();
      // The channel is still connected: a send after the move reaches it, and the last sender's drop ends it.
      innerSenders[i].send(1);
      innerSenders[i].drop();
      expect([...message.rx]).toEqual([1]);
      message.rx.drop();
    }
    expect(sum).toBe(ROUNDS * (5 + 100) + (ROUNDS * (ROUNDS - 1)) / 2);
    expect(arc.strongCount()).toBe(1);
    expect(() => rx.recv()).toThrow(RecvError);
  });

  it('a Receiver beside an Arc in one message takes the courier to a sibling blocked in recv(), with values delivered to its inbox before it moved', () => {
    const [tx, rx] = channel<{ arc: Arc<number>; rx: Receiver<Arc<number>> }>();
    const arc = new Arc(3);
    const receiver = spawn(move(rx), (rx) => {
      let sum = 0;
      for (const message of rx) {
        for (const inner of message.rx) {
          sum += inner.value;
          inner.drop();
        }
        sum += message.arc.value;
        message.arc.drop();
      }
      return sum;
    });
    const sender = spawn(move(tx, arc.clone()), (tx, arc) => {
      for (let i = 0; i < 10; i++) {
        const [innerTx, inner] = channel<Arc<number>>();
        // Delivered to the inner Receiver's inbox (it is in this thread): they move with it, through the courier.
        innerTx.send(arc.clone());
        innerTx.send(arc.clone());
        tx.send({ arc: arc.clone(), rx: inner });
        innerTx.send(arc.clone());
        innerTx.drop();
      }
      arc.drop();
    });
    sender.join();
    expect(receiver.join()).toBe(10 * 4 * 3);
    expect(arc.strongCount()).toBe(1);
  });

  it('the first message that needs the courier goes through while the main thread is blocked outside the runtime', () => {
    // In a child process: the courier is the process's, and this one's started long ago.
    const { stdout, stderr, status } = spawnSync(process.execPath, [join(fixtures, 'blocked-main.mjs')], { cwd: fixtures, encoding: 'utf8', timeout: 100_000 });
    expect({ stderr, status }).toEqual({ stderr: '', status: 0 });
    expect(JSON.parse(stdout)).toEqual({ waited: 'ok', value: 7, strongCount: 1 });
  });

  it('so does one whose channel and Arc a thread made, not the main thread, blocked outside the runtime meanwhile', () => {
    const { stdout, stderr, status } = spawnSync(process.execPath, [join(fixtures, 'blocked-main-made.mjs')], { cwd: fixtures, encoding: 'utf8', timeout: 100_000 });
    expect({ stderr, status }).toEqual({ stderr: '', status: 0 });
    expect(JSON.parse(stdout)).toEqual({ waited: 'ok', value: 7, strongCount: 1 });
  });

  it('a thread killed by its heap limit leaves no line at the courier, and the threads and messages after it go on', async () => {
    const [tx, rx] = channel<Arc<number>>();
    const arc = new Arc(1);
    spawn(move(tx.clone(), arc.clone()), (tx, arc) => tx.send(arc)).join();
    rx.recv().drop();
    const before = courierLines();
    for (let i = 0; i < 3; i++) {
      // Its line is open (it sent through the courier) when it passes its heap limit: no goodbye runs.
      const hog = new Builder().heapLimit(32 * MIB).spawn(move(tx.clone(), arc.clone()), (tx, arc) => {
        tx.send(arc);
        const kept: number[][] = [];
        for (;;) kept.push(new Array<number>(100_000).fill(1.5));
      });
      const cause = panicCauseOf(() => hog.join());
      expect(cause).toBeInstanceOf(ThreadExitError);
      expect((cause as Error).message).toMatch(/ran out of memory under its heap limit/);
      rx.recv().drop();
    }
    expect(await settledLines(before)).toBeLessThanOrEqual(before);
    expect(spawn(move(tx, arc.clone()), (tx, arc) => tx.send(arc)).join()).toBeUndefined();
    const received = rx.recv();
    expect(received.value).toBe(1);
    received.drop();
    expect(arc.strongCount()).toBe(1);
  });
});
