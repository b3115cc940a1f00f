/* eslint-disable sendsync/no-use-after-move -- a refused send moves nothing: the Arc beside the lent handle is used after it on purpose */
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel, type Receiver } from '@sendsync/runtime/sync/mpsc';

/*
 * A handle inside an Arc's data is the data's: it owns the count, and the Arc's last owner drops it. Whoever reads it
 * (`arc.value.reply`) borrows it, as Rust's `&arc.reply`: a send or a clone through it works, but a `drop()` or a
 * move of it is rustc's E0507, "cannot move out of an `Arc`", and nothing moves then. Before, each such drop or move
 * gave up the data's count, which the last owner then gave up again.
 */

const E0507 = /cannot move out of an `Arc`/;

describe("a handle an Arc's data lends is used, never dropped nor moved by hand", { timeout: 60_000 }, () => {
  it('a Sender: drop() and every kind of move refused, nothing moved; sends and clones work; the last Arc drops it', () => {
    const [tx, rx] = channel<number>();
    const arc = new Arc({ reply: tx });
    const [carrier, carried] = channel<unknown>();
    const other = new Arc(0);
    expect(() => arc.value.reply.drop()).toThrow(TypeError);
    expect(() => arc.value.reply.drop()).toThrow(/cannot move out of an `Arc`: this `Sender` .*clone it: `arc\.value\.reply\.clone\(\)`/);
    expect(() => spawn(move(arc.value.reply), (reply) => reply.send(0))).toThrow(E0507);
    expect(() => carrier.send(arc.value.reply)).toThrow(E0507);
    // Beside an Arc of its own: the message is refused whole, and the Arc is still the caller's.
    expect(() => carrier.send({ other, reply: arc.value.reply })).toThrow(E0507);
    expect(() => new Mutex({ reply: arc.value.reply })).toThrow(E0507);
    expect(() => new Arc([arc.value.reply])).toThrow(E0507);
    expect(other.value).toBe(0);
    expect(() => carried.tryRecv()).toThrow(/empty/);
    arc.value.reply.send(1);
    const clone = arc.value.reply.clone();
    spawn(move(clone), (clone) => clone.send(2)).join();
    expect([rx.recv(), rx.recv()]).toEqual([1, 2]);
    // The last Arc drops the data's sender, once: the receiver sees every sender gone.
    arc.drop();
    expect(() => rx.recv()).toThrow(RecvError);
  });

  it('an Arc in the data, read in 4 threads: their drops are refused, and the inner count stays where Rust has it', () => {
    for (let round = 0; round < 3; round++) {
      const inner = new Arc({ round });
      const keep = inner.clone();
      const outer = new Arc({ inner });
      const [tx, rx] = channel<Arc<{ round: number }>>();
      expect(() => outer.value.inner.drop()).toThrow(/cannot move out of an `Arc`: this `Arc` .*`arc\.value\.inner\.clone\(\)`/);
      expect(() => Arc.intoInner(outer.value.inner)).toThrow(E0507);
      expect(() => tx.send(outer.value.inner)).toThrow(E0507);
      expect(keep.strongCount()).toBe(2);
      const handles = Array.from({ length: 4 }, () =>
        spawn(move(outer.clone(), tx.clone()), (outer, tx) => {
          let refused = '';
          try {
            outer.value.inner.drop();
          } catch (error) {
            refused = (error as Error).message;
          }
          // A clone is the thread's own: it may move it.
          tx.send(outer.value.inner.clone());
          return [refused, outer.value.inner.value.round] as const;
        }),
      );
      for (const handle of handles) {
        const [refused, value] = handle.join();
        expect(refused).toMatch(E0507);
        expect(value).toBe(round);
      }
      tx.drop();
      for (const sent of rx) sent.drop();
      expect(keep.strongCount()).toBe(2);
      outer.drop();
      expect(keep.strongCount()).toBe(1);
    }
  });

  it('a Receiver in the data: receives through it, its drop and moves refused naming Arc.intoInner; the last Arc drops it', () => {
    const [tx, rx] = channel<number>();
    const arc = new Arc({ rx });
    expect(() => arc.value.rx.drop()).toThrow(/a `Receiver` cannot be cloned: take the data out with `Arc\.intoInner\(arc\)`/);
    expect(() => spawn(move(arc.value.rx), (rx) => rx.recv())).toThrow(E0507);
    const [carrier] = channel<Receiver<number>>();
    expect(() => carrier.send(arc.value.rx)).toThrow(E0507);
    tx.send(1);
    expect(arc.value.rx.recv()).toBe(1);
    arc.drop();
    expect(() => tx.send(2)).toThrow(SendError);

    // Taken out whole, it is the caller's again.
    const [tx2, rx2] = channel<number>();
    const data = Arc.intoInner(new Arc({ rx: rx2 }))!;
    tx2.send(3);
    expect(data.rx.recv()).toBe(3);
    data.rx.drop();
    expect(() => tx2.send(4)).toThrow(SendError);
  });

  it('Arc.intoInner gives a lent Sender back owning its count: the caller may drop or move it', () => {
    const [tx, rx] = channel<number>();
    const data = Arc.intoInner(new Arc({ reply: tx }))!;
    spawn(move(data.reply), (reply) => reply.send(5)).join();
    expect(rx.recv()).toBe(5);
    expect(() => rx.recv()).toThrow(RecvError);
  });

  it("a lock that is an Arc's data, here and in a thread: its drop() and moves refused naming the Arc to share; it locks; the last Arc drops it", () => {
    const [tx, rx] = channel<number>();
    const arc = new Arc(new Mutex(tx));
    const noClone = /cannot move out of an `Arc`: this `Mutex` .*cannot be cloned: share the `Arc` instead \(`move\(arc\.clone\(\)\)`\)/;
    expect(() => arc.value.drop()).toThrow(noClone);
    expect(() => spawn(move(arc.value), (lock) => lock.isPoisoned())).toThrow(noClone);
    const refusals = Array.from({ length: 4 }, (_, id) =>
      spawn(move(arc.clone(), id), (arc, id) => {
        let refused = '';
        try {
          arc.value.drop();
        } catch (error) {
          refused = (error as Error).message;
        }
        using guard = arc.value.lock();
        guard.value.send(id);
        return refused;
      }),
    );
    for (const refusal of refusals) expect(refusal.join()).toMatch(noClone);
    {
      using guard = arc.value.lock();
      guard.value.send(4);
    }
    // The last Arc drops the lock, and with it the Sender it holds: the receiver sees it gone.
    arc.drop();
    expect([...rx].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
