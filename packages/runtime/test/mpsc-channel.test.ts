import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import {
  RecvError,
  RecvTimeoutError,
  Receiver,
  SendError,
  Sender,
  TryRecvError,
  UseAfterDropError,
  channel,
} from '@sendsync/runtime/sync/mpsc';
import { Cell } from '@sendsync/runtime/cell';
import { codecFor, type CodecContext } from '../dist/codec.js';
import { receiverSleeps } from '../dist/sync/mpsc/receiver.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('channel: one thread', () => {
  it('smoke: every kind of value crosses as a copy, in order', () => {
    const [tx, rx] = channel<unknown>();
    const values: unknown[] = [
      0,
      -0,
      NaN,
      1.5,
      2 ** 53,
      '',
      'héllo, 世界 🦀',
      'x'.repeat(1000),
      true,
      false,
      null,
      undefined,
      new Float64Array([1, 2.5]),
      new Uint8Array([1, 2, 3]).subarray(1),
      new BigInt64Array([-1n]),
      new Uint8Array([9, 8]).buffer,
      { list: [1, 'a', { deep: new Map([[1, new Set([2])]]) }] },
      10n ** 30n,
      new Date(0),
    ];
    for (const value of values) tx.send(value);
    for (const value of values) {
      const got = rx.recv();
      expect(got).toEqual(value);
      if (typeof value === 'object' && value !== null) expect(got).not.toBe(value);
    }
    expect(Object.is(values[1], -0)).toBe(true);
  });

  it('a message bigger than the ring crosses from another thread', () => {
    const [tx, rx] = channel<Uint8Array | string | number>({ capacity: 4096 });
    const big = new Uint8Array(100_000).map((_, i) => i * 7);
    const expected = big.slice(); // `big` itself is moved (transferred) into the thread
    const text = 'é🦀'.repeat(5000);
    const producer = spawn(move(tx, big, text), (tx, big, text) => {
      tx.send(big);
      tx.send(1);
      tx.send(text);
      tx.drop();
    });
    // eslint-disable-next-line sendsync/no-use-after-move -- deliberately reads the moved buffer to check the move detached it
    expect(big.byteLength).toBe(0);
    expect(rx.recv()).toEqual(expected);
    expect(rx.recv()).toBe(1);
    expect(rx.recv()).toBe(text);
    expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError);
    producer.join();
  });

  it('tryRecv, recvTimeout and tryIter do not wait', () => {
    const [tx, rx] = channel<number>();
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('empty');
    const before = performance.now();
    expect((thrown(() => rx.recvTimeout(30)) as RecvTimeoutError).kind).toBe('timeout');
    expect(performance.now() - before).toBeGreaterThanOrEqual(29);
    tx.send(1);
    tx.send(2);
    expect([...rx.tryIter()]).toEqual([1, 2]);
    tx.drop();
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('disconnected');
    expect((thrown(() => rx.recvTimeout(1000)) as RecvTimeoutError).kind).toBe('disconnected');
  });

  it('disconnection: recv drains, then throws RecvError once every sender is gone', () => {
    const [tx, rx] = channel<number>();
    const tx2 = tx.clone();
    tx.send(1);
    tx.drop();
    tx.drop(); // twice: no effect on the count
    tx2.send(2);
    expect(rx.recv()).toBe(1);
    using _last = tx2; // dropped at the end of the block
    expect(rx.recv()).toBe(2);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a dropped sender is refused
    expect(thrown(() => tx.send(3))).toBeInstanceOf(UseAfterDropError);
  });

  it('disconnection: send throws SendError carrying the value once the receiver is gone', () => {
    const [tx, rx] = channel<{ id: number }>();
    rx.drop();
    const value = { id: 7 };
    const error = thrown(() => tx.send(value)) as SendError<{ id: number }>;
    expect(error).toBeInstanceOf(SendError);
    expect(error.message).toBe('sending on a closed channel');
    // eslint-disable-next-line sendsync/no-use-after-move -- the send was refused: the error holds this very value
    expect(error.value).toBe(value);
  });

  it('past a full ring, messages of every kind go on in order (the receiver in the sending thread)', () => {
    const [tx, rx] = channel<unknown>({ capacity: 4096 });
    const values: unknown[] = [];
    for (let i = 0; i < 2000; i++) {
      const kind = i % 5;
      values.push(kind === 0 ? i : kind === 1 ? `s${i}` : kind === 2 ? new Uint8Array(i % 300).fill(i & 0xff) : kind === 3 ? { i } : i % 2 === 0);
    }
    for (const value of values) tx.send(value);
    tx.send(new Uint8Array(8000).fill(3)); // bigger than a quarter of the ring
    tx.send(1);
    expect([...rx.tryIter()]).toEqual([...values, new Uint8Array(8000).fill(3), 1]);
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('empty');
  });

  it('for-of ends when the senders are gone', () => {
    const [tx, rx] = channel<number>();
    for (let i = 0; i < 5; i++) tx.send(i);
    tx.drop();
    expect([...rx]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('channel: threads', () => {
  it('lots and lots: 4 producers x 50,000, each message exactly once, in order per sender', () => {
    const [tx, rx] = channel<number>();
    const producers = [0, 1, 2, 3].map((p) =>
      spawn(move(tx.clone(), p), (tx, p) => {
        for (let i = 0; i < 50_000; i++) tx.send(p * 1_000_000 + i);
        tx.drop();
      }),
    );
    tx.drop();
    const next = [0, 0, 0, 0];
    let count = 0;
    let outOfOrder = 0;
    for (const message of rx) {
      const p = Math.floor(message / 1_000_000);
      // In order per sender, nothing lost, nothing twice (counted: `expect` per message is slow).
      if (message % 1_000_000 !== next[p]) outOfOrder += 1;
      next[p] += 1;
      count += 1;
    }
    expect(outOfOrder).toBe(0);
    expect(count).toBe(200_000);
    expect(next).toEqual([50_000, 50_000, 50_000, 50_000]);
    for (const producer of producers) producer.join();
  });

  it('mixed sizes from several producers wrap the ring many times intact', () => {
    const [tx, rx] = channel<string | Float64Array>({ capacity: 8192 });
    const producers = [0, 1, 2].map((p) =>
      spawn(move(tx.clone(), p), (tx, p) => {
        for (let i = 0; i < 3000; i++) {
          if (i % 3 === 0) tx.send(new Float64Array([p, i, i * 0.5]));
          else tx.send(`${p}:${i}:${'z'.repeat(i % 90)}`);
        }
        tx.drop();
      }),
    );
    tx.drop();
    const next = [0, 0, 0];
    for (const message of rx) {
      let p: number, i: number;
      if (message instanceof Float64Array) {
        [p, i] = [message[0], message[1]];
        expect(message[2]).toBe(i * 0.5);
      } else {
        const [ps, is, pad] = message.split(':');
        [p, i] = [Number(ps), Number(is)];
        expect(pad).toBe('z'.repeat(i % 90));
      }
      expect(i).toBe(next[p]);
      next[p] += 1;
    }
    expect(next).toEqual([3000, 3000, 3000]);
    for (const producer of producers) producer.join();
  });

  it('a sender moved into a thread that ends without dropping it disconnects the receiver', () => {
    const [tx, rx] = channel<number>();
    const producer = spawn(move(tx), (tx) => {
      tx.send(42); // no drop: the thread's end drops it, as in Rust
    });
    producer.join();
    expect(rx.recv()).toBe(42);
    // Without the disconnect this recv would block for ever (the test's timeout).
    expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError);
  });

  it('a sender borrowed by scoped threads stays ours, and their ends disconnect nothing', () => {
    const [tx, rx] = channel<number>();
    scope((s) => {
      for (let i = 0; i < 3; i++) s.spawn(borrow(tx), move(i), (tx, i) => tx.send(i));
    });
    expect([rx.recv(), rx.recv(), rx.recv()].sort()).toEqual([0, 1, 2]);
    tx.send(3); // still usable here
    expect(rx.recv()).toBe(3);
    expect((thrown(() => rx.recvTimeout(250)) as RecvTimeoutError).kind).toBe('timeout'); // tx still counts
    tx.drop();
    expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError);
  });

  it('a moved handle is unusable where it was', () => {
    const [tx, rx] = channel<number>();
    const producer = spawn(move(tx), (tx) => tx.send(1));
    // eslint-disable-next-line sendsync/no-use-after-move -- deliberately uses the moved sender to test the misuse error
    expect(thrown(() => tx.send(2))).toBeInstanceOf(UseAfterDropError);
    expect(rx.recv()).toBe(1);
    producer.join();
  });

  it('the receiver can move into a thread and senders stay here', () => {
    const [tx, rx] = channel<number>();
    tx.send(1); // received here first: the thread must continue after it
    expect(rx.recv()).toBe(1);
    tx.send(2);
    tx.send(3);
    const consumer = spawn(move(rx), (rx) => {
      let sum = 0;
      for (const n of rx) sum += n;
      return sum;
    });
    for (let i = 4; i <= 100; i++) tx.send(i);
    tx.drop();
    expect(consumer.join()).toBe(5050 - 1);
  });

  it('send fails once the receiver was dropped in another thread', () => {
    const [tx, rx] = channel<number>();
    const consumer = spawn(move(rx), (rx) => {
      rx.recv();
      rx.drop();
    });
    tx.send(0);
    const started = performance.now();
    let error: unknown;
    for (let i = 0; error === undefined && performance.now() - started < 5000; i++) {
      try {
        tx.send(i);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(SendError);
    consumer.join();
  });

  it('a receiver whose thread ended without dropping it counts as gone (within a lap of the ring)', () => {
    const [tx, rx] = channel<number>({ capacity: 4096 });
    tx.send(-1);
    expect(spawn(move(rx), (rx) => rx.recv()).join()).toBe(-1); // the thread ends holding the receiver
    let error: unknown;
    let sent = 0;
    while (error === undefined && sent < 10_000) {
      try {
        tx.send(sent++);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(SendError);
    expect(sent).toBeLessThanOrEqual(512); // noticed at the first look for room, one lap at most
  });

  it('the receiver really sleeps: few wake-ups while waiting, little CPU', () => {
    const [tx, rx] = channel<number>();
    const gaps = 5;
    const producer = spawn(move(tx, gaps), (tx, gaps) => {
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < gaps; i++) {
        Atomics.wait(pause, 0, 0, 60); // pacing only: the test reads the receiver's behaviour
        tx.send(i);
      }
      tx.drop();
    });
    const sleepsBefore = receiverSleeps(rx);
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    for (let i = 0; i < gaps; i++) expect(rx.recv()).toBe(i);
    const wall = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const sleeps = receiverSleeps(rx) - sleepsBefore;
    producer.join();
    // About one sleep per message (fewer if this thread was descheduled past a gap, as on a loaded
    // machine), plus at most a look every 100 ms for ended threads: not a spin.
    expect(sleeps).toBeGreaterThanOrEqual(1);
    expect(sleeps).toBeLessThanOrEqual(gaps + Math.ceil(wall / 100) + 2);
    // Spinning for ~300 ms would cost ~300 ms of CPU; sleeping costs a few.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(wall / 2);
  });

  it('a process awaiting only recvAsync stays alive until the message comes', () => {
    const script = fileURLToPath(new URL('./fixtures/mpsc/await-only.mjs', import.meta.url));
    expect(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 15_000 })).toBe('got 5\n');
  });

  it('Sender.sendAsync never waits: past a full ring it settles at once', async () => {
    const [tx, rx] = channel<number>({ capacity: 4096 });
    for (let i = 0; i < 256; i++) tx.send(i); // the ring is full now
    await tx.sendAsync(256);
    expect([...rx.tryIter()]).toEqual(Array.from({ length: 257 }, (_, i) => i));
  });

  it('recvAsync and for await', async () => {
    const [tx, rx] = channel<number>();
    const producer = spawn(move(tx), (tx) => {
      for (let i = 0; i < 1000; i++) tx.send(i);
      tx.drop();
    });
    expect(await rx.recvAsync()).toBe(0);
    let expected = 1;
    for await (const n of rx) expect(n).toBe(expected++);
    expect(expected).toBe(1000);
    await expect(rx.recvAsync()).rejects.toBeInstanceOf(RecvError);
    producer.join();
  });
});

describe('types', () => {
  it('Sender and Receiver are classes with Rust names', () => {
    const [tx, rx] = channel<number>();
    expect(tx).toBeInstanceOf(Sender);
    expect(rx).toBeInstanceOf(Receiver);
  });
});

describe('what crosses a channel', () => {
  it('a cell crosses by its codec: the other side gets a cell with a copy of the value', () => {
    const [tx, rx] = channel<Cell<number[]>>();
    const cell = new Cell([1, 2]);
    tx.send(cell);
    const got = rx.recv();
    expect(got).toBeInstanceOf(Cell);
    expect(got.get()).toEqual([1, 2]);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that what crossed is a copy of this cell
    expect(got.get()).not.toBe(cell.get());
  });

  it("a thread that never loaded a codec's module loads it when a value of that type arrives", () => {
    // The thread starts with the channel's module only (its Receiver); the Cell's codec comes with the message.
    const [tx, rx] = channel<Cell<number>>();
    const handle = spawn(move(rx), (rx) => rx.recv().get() + 1);
    tx.send(new Cell(41));
    expect(handle.join()).toBe(42);
  });

  it('what is not Send is refused with the E0277 wording, and the value comes back unsent', () => {
    const [tx, rx] = channel<unknown>();
    const error = thrown(() => tx.send({ callback: () => 1 })) as TypeError;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('`Function` cannot be sent between threads safely (at value.callback)');
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('empty');
  });
});

describe('codecs of the handles', () => {
  // A walker's context: what the handles' codecs put in `transfer` (their ports) crosses with the wire.
  const context = (borrowing: boolean): CodecContext => ({ encode: (v) => v, decode: (w) => w, transfer: [], borrowing });
  const cross = (value: object, moving: CodecContext): unknown => {
    const codec = codecFor(value)!;
    return codec.decode(structuredClone(codec.encode(value, moving), { transfer: moving.transfer }), moving);
  };

  it('a move takes the count along and leaves the handle unusable', () => {
    const [tx, rx] = channel<number>();
    const moved = cross(tx, context(false)) as Sender<number>;
    expect(thrown(() => tx.send(1))).toBeInstanceOf(UseAfterDropError);
    moved.send(2);
    moved.drop();
    expect(rx.recv()).toBe(2);
    expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError); // the one count went with the move
  });

  it('a borrow (walker context with `borrowing`) lends: the lender keeps its count, the lent drop changes nothing', () => {
    const [tx, rx] = channel<number>();
    const lent = cross(tx, context(true)) as Sender<number>;
    lent.send(1);
    lent.drop();
    tx.send(2);
    expect([rx.recv(), rx.recv()]).toEqual([1, 2]);
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('empty'); // tx still counts
    tx.drop();
    expect((thrown(() => rx.tryRecv()) as TryRecvError).kind).toBe('disconnected');
  });
});
