// A moved channel end's `drop()` is a use of a moved value, as every other handle's is (rustc's
// E0382): its count went where it moved. `Symbol.dispose` (a `using` block's end) does nothing
// for a moved end, as Rust does not drop a moved value; an end lent by a lock's value lets go of
// it only.
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { channel, syncChannel } from '@sendsync/runtime/sync/mpsc';
import { Mutex, UseAfterDropError } from '@sendsync/runtime/sync';

/** What `f` threw (undefined if nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("a moved channel end's drop", () => {
  it('a Sender moved into a thread: drop() throws E0382, and the count it took still counts there', () => {
    const [tx, rx] = channel<number>();
    const sending = spawn(move(tx), (tx) => {
      tx.send(1);
      tx.drop();
    });
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a moved sender's drop is refused
    const error = thrown(() => tx.drop()) as Error;
    expect(error).toBeInstanceOf(UseAfterDropError);
    expect(error.message).toMatch(/^borrow of moved value: this `Sender` was moved .*`tx\.clone\(\)`/);
    // eslint-disable-next-line sendsync/no-use-after-move -- disposing a moved sender does nothing, as Rust does not drop a moved value
    tx[Symbol.dispose]();
    sending.join();
    expect(rx.recvTimeout(60_000)).toBe(1);
    // The thread's drop was the last sender's: disconnected, not waiting.
    expect([...rx]).toEqual([]);
  });

  it("a SyncSender moved into a lock's value: drop() throws E0382; the lock's own lent sender lets go only", () => {
    const [tx, rx] = syncChannel<number>(4);
    const lock = new Mutex({ tx });
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a moved sender's drop is refused
    const error = thrown(() => tx.drop()) as Error;
    expect(error).toBeInstanceOf(UseAfterDropError);
    expect(error.message).toMatch(/^borrow of moved value: this `SyncSender` was moved/);
    {
      using guard = lock.lock();
      guard.value.tx.send(1);
      // Lent by the lock: dropping it lets go of this handle, and the lock keeps the sender.
      guard.value.tx.drop();
    }
    {
      using guard = lock.lock();
      guard.value.tx.send(2);
    }
    expect([rx.recvTimeout(60_000), rx.recvTimeout(60_000)]).toEqual([1, 2]);
  });

  it('a Receiver moved into a thread: drop() throws E0382, and the thread still receives', () => {
    const [tx, rx] = channel<number>();
    const receiving = spawn(move(rx), (rx) => rx.recvTimeout(60_000));
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a moved receiver's drop is refused
    const error = thrown(() => rx.drop()) as Error;
    expect(error).toBeInstanceOf(UseAfterDropError);
    expect(error.message).toMatch(/^borrow of moved value: this `Receiver` was moved .*cannot be cloned/);
    tx.send(5);
    expect(receiving.join()).toBe(5);
  });

  it('an end dropped, not moved, may be dropped again: nothing happens', () => {
    const [tx, rx] = channel<number>();
    tx.drop();
    expect(() => tx.drop()).not.toThrow();
    rx.drop();
    expect(() => rx.drop()).not.toThrow();
  });
});
