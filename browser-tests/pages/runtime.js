// @ts-check
/**
 * The runtime in a browser page, as a user's page would use it (imported by
 * name through the import map). Each export is one test's body: it runs in
 * the page and returns what the test asserts on (a plain, cloneable value).
 */
import { PanicError, ThreadExitError, WouldBlockError, move, sleep, spawn } from '@sendsync/runtime';
import { Arc, AtomicU32, Mutex, Ordering } from '@sendsync/runtime/sync';
import { RecvError, channel } from '@sendsync/runtime/sync/mpsc';

/** @template T @typedef {[import('@sendsync/runtime/sync/mpsc').Sender<T>, import('@sendsync/runtime/sync/mpsc').Receiver<T>]} Channel a channel of T (JavaScript cannot pass channel's type argument) */

/**
 * Spawns `count` threads one after another, each returning its input
 * doubled, and awaits each with joinAsync.
 * @param {number} count
 */
export async function spawnJoin(count) {
  const results = [];
  for (let i = 0; i < count; i++) results.push(await spawn(move(i), (i) => i * 2).joinAsync());
  return results;
}

/**
 * `threads` threads and the page increment one Mutex `times` times each; the
 * threads block in lock(), the page awaits lockAsync(). Returns the count.
 * @param {number} threads
 * @param {number} times
 */
export async function mutexContention(threads, times) {
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (let t = 0; t < threads; t++) {
    handles.push(
      spawn(move(counter.clone(), times), (counter, times) => {
        for (let i = 0; i < times; i++) {
          using guard = counter.value.lock();
          guard.value += 1;
        }
      }),
    );
  }
  for (let i = 0; i < times; i++) {
    using guard = await counter.value.lockAsync();
    guard.value += 1;
  }
  for (const handle of handles) await handle.joinAsync();
  using guard = await counter.value.lockAsync();
  return guard.value;
}

/**
 * A pipeline: one thread sends 0..count-1, a second squares each and passes
 * it on, the page receives with recvAsync until the channel disconnects.
 * @param {number} count
 */
export async function pipeline(count) {
  const [numbers, numbersIn] = /** @type {Channel<number>} */ (channel());
  const [squares, squaresIn] = /** @type {Channel<number>} */ (channel());
  const producer = spawn(move(numbers, count), (numbers, count) => {
    for (let i = 0; i < count; i++) numbers.send(i);
  });
  const squarer = spawn(move(numbersIn, squares), (numbersIn, squares) => {
    for (const n of numbersIn) squares.send(n * n);
  });
  let received = 0;
  let sum = 0;
  let ordered = true;
  for (;;) {
    let value;
    try {
      value = await squaresIn.recvAsync();
    } catch (error) {
      if (error instanceof RecvError) break;
      throw error;
    }
    ordered &&= value === received * received;
    received += 1;
    sum += value;
  }
  await producer.joinAsync();
  await squarer.joinAsync();
  return { received, sum, ordered };
}

/**
 * Text through a channel to a thread and back: a long string (UTF-8 in the
 * channel's shared memory, which Chromium's TextDecoder refuses to read
 * directly) and arrays of lines, ASCII and not; the thread echoes each.
 * Returns which came back intact.
 */
export async function textRoundTrip() {
  const [tx, rx] = /** @type {Channel<string | string[]>} */ (channel());
  const [back, backIn] = /** @type {Channel<string | string[]>} */ (channel());
  const echo = spawn(move(rx, back), (rx, back) => {
    for (const value of rx) back.send(value);
  });
  const values = {
    long: `${'x'.repeat(1000)}é東京😀`,
    ascii: Array.from({ length: 2000 }, (_, i) => `line ${i} of the log, plain ASCII`),
    other: Array.from({ length: 2000 }, (_, i) => `line ${i} ${i % 2 === 0 ? 'é東京😀' : 'plain'}`),
  };
  /** @type {Record<string, boolean | string>} */
  const intact = {};
  for (const [name, value] of Object.entries(values)) {
    tx.send(value);
    try {
      intact[name] = JSON.stringify(await backIn.recvAsync()) === JSON.stringify(value);
    } catch (error) {
      intact[name] = String(error);
    }
  }
  tx.drop();
  await echo.joinAsync();
  return intact;
}

/**
 * A thread blocked in recv() gets `count` numbers (far past the ring: the
 * rest go to the overflow chain in the shared heap) and then one message of
 * `bytes` bytes, all sent by the page; its reply comes back on a Sender that
 * travelled inside a message.
 * @param {number} count
 * @param {number} bytes
 */
export async function blockedReceiver(count, bytes) {
  const [tx, rx] = /** @type {Channel<number | Uint8Array | { reply: import('@sendsync/runtime/sync/mpsc').Sender<string> }>} */ (channel());
  const [reply, replies] = /** @type {Channel<string>} */ (channel());
  const consumer = spawn(move(rx, count), (rx, count) => {
    let sum = 0;
    let ordered = true;
    for (let i = 0; i < count; i++) {
      const value = /** @type {number} */ (rx.recv());
      ordered &&= value === i;
      sum += value;
    }
    const big = /** @type {Uint8Array} */ (rx.recv());
    let intact = true;
    for (let i = 0; i < big.length; i += 4093) intact &&= big[i] === (i & 0xff);
    const { reply } = /** @type {{ reply: import('@sendsync/runtime/sync/mpsc').Sender<string> }} */ (rx.recv());
    reply.send(`${big.length} bytes`);
    reply.drop();
    return { sum, ordered, intact };
  });
  for (let i = 0; i < count; i++) tx.send(i);
  const big = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) big[i] = i & 0xff;
  tx.send(big);
  tx.send({ reply });
  const result = await consumer.joinAsync();
  return { ...result, reply: await replies.recvAsync() };
}

/** A thread that throws: joinAsync rejects with PanicError, the thrown error as its cause. */
export async function panic() {
  try {
    await spawn(() => {
      throw new RangeError('the thread gave up');
    }).joinAsync();
    return { rejected: false };
  } catch (error) {
    const cause = /** @type {Error} */ (/** @type {Error} */ (error).cause);
    return {
      rejected: true,
      isPanicError: error instanceof PanicError,
      message: /** @type {Error} */ (error).message,
      causeName: cause?.name,
      causeIsRangeError: cause instanceof RangeError,
      causeMessage: cause?.message,
    };
  }
}

/**
 * A thread whose worker closes itself while the thread awaits a timer that
 * can then never fire: its worker is gone and the thread never returns.
 * joinAsync must reject (PanicError caused by ThreadExitError), and the
 * threads spawned after it must run.
 */
export async function workerCloses() {
  let outcome;
  try {
    await spawn(async () => {
      self.close();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return 'returned after close';
    }).joinAsync();
    outcome = { rejected: false };
  } catch (error) {
    const cause = /** @type {Error} */ (error).cause;
    outcome = { rejected: true, isPanicError: error instanceof PanicError, causeIsThreadExitError: cause instanceof ThreadExitError };
  }
  const after = await spawnJoin(4);
  return { ...outcome, after };
}

/**
 * Blocking calls on the page's main thread, which may not block: each
 * throws WouldBlockError naming its awaitable twin. A thread holds `busy`
 * and waits for `gate`, which the page holds, so join() and lock() would
 * have to wait; the channel `empty` stays empty.
 */
export async function blockingOnMainThread() {
  const gate = new Arc(new Mutex(0));
  const busy = new Arc(new Mutex(0));
  const [locked, lockedIn] = /** @type {Channel<string>} */ (channel());
  // The sender is kept (dropped at the end): a channel whose senders are gone does not block, it says RecvError.
  const [emptyTx, empty] = /** @type {Channel<string>} */ (channel());
  const open = await gate.value.lockAsync();
  const handle = spawn(move(gate.clone(), busy.clone(), locked), (gate, busy, locked) => {
    using held = busy.value.lock();
    locked.send('busy is held');
    using opened = gate.value.lock();
    return held.value + opened.value;
  });
  await lockedIn.recvAsync();
  /** @param {() => unknown} call */
  const attempt = (call) => {
    try {
      call();
      return 'did not throw';
    } catch (error) {
      return `${/** @type {Error} */ (error).name}: ${/** @type {Error} */ (error).message}${error instanceof WouldBlockError ? '' : ' (not a WouldBlockError)'}`;
    }
  };
  const messages = {
    join: attempt(() => handle.join()),
    lock: attempt(() => busy.value.lock()),
    recv: attempt(() => empty.recv()),
  };
  emptyTx.drop();
  open.value = 42;
  open[Symbol.dispose]();
  return { messages, joined: await handle.joinAsync() };
}

/**
 * The page spawns `count` threads in one loop, none of which can end before
 * the page has run its callbacks a few more times: each thread returns once
 * a ticker on the page's event loop (a message the page posts to itself,
 * again and again) has ticked `TICKS` times after the thread began. A spawn
 * on the page's main thread, which may not block, must never wait for a busy
 * worker (it starts another): a wait would spin, with the clock read to
 * bound it, and hold up the page's callbacks meanwhile. Returns the threads'
 * results, how often the spawn loop read the clock, and how many ticks ran.
 * @param {number} count
 */
export async function spawnWithoutWaiting(count) {
  const TICKS = 3;
  const ticks = new Arc(new AtomicU32(0));
  const ticker = new MessageChannel();
  let ticking = true;
  ticker.port1.onmessage = () => {
    ticks.value.fetchAdd(1, Ordering.SeqCst);
    if (ticking) ticker.port2.postMessage(undefined);
  };
  ticker.port2.postMessage(undefined);
  const now = performance.now;
  let clockReads = 0;
  performance.now = () => {
    clockReads += 1;
    return now.call(performance);
  };
  const handles = [];
  try {
    for (let i = 0; i < count; i++) {
      handles.push(
        spawn(move(ticks.clone(), i, TICKS), (ticks, i, TICKS) => {
          const start = ticks.value.load(Ordering.SeqCst);
          while (ticks.value.load(Ordering.SeqCst) < start + TICKS) sleep(1);
          return i;
        }),
      );
    }
  } finally {
    performance.now = now;
  }
  const results = [];
  try {
    for (const handle of handles) results.push(await handle.joinAsync());
  } finally {
    ticking = false;
  }
  return { results, clockReads, ticked: ticks.value.load(Ordering.SeqCst) >= TICKS };
}
