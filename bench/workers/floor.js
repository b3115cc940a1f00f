// @ts-check
/**
 * A raw worker_threads worker for the floors: the least any library could do
 * for each operation, written directly on postMessage, SharedArrayBuffer and
 * Atomics. It echoes numbers (postMessage round trip) and runs named jobs
 * under the start/finish handshake of ../lib/control.js.
 */
import { parentPort } from 'node:worker_threads';

/** Control block indices, as in ../lib/control.js. */
const READY = 0;
const GO = 1;
const DONE = 2;
const FAILED = 3;
/** Byte offset of the participants' durations (Float64, ms), by READY slot. */
const DURATIONS = 32;

/** Futex mutex word: nobody holds the lock. */
const UNLOCKED = 0;
/** Futex mutex word: held, nobody sleeps on it. */
const LOCKED = 1;
/** Futex mutex word: held, and someone may sleep on it (unlock must notify). */
const CONTENDED = 2;

/** Index of the futex job's poison flag, beside the lock word (as a `Mutex`'s). */
const POISON = 1;
/** The poison flag of a lock whose data is sound. */
const SOUND = 0;
/** Byte offset of the number the futex job increments (a Float64), after the lock word and the poison flag. */
const NUMBER_OFFSET = 8;

/** How long a hand-off may spin or sleep before the job gives up. */
const LIMIT_MS = 30_000;

/** @param {Int32Array} state */
function lock(state) {
  // Pairs with unlock's exchange; acquiring makes the holder's writes visible.
  if (Atomics.compareExchange(state, 0, UNLOCKED, LOCKED) !== UNLOCKED) lockContended(state);
}

/** The slow path of a three-state futex mutex (Drepper; Bos, ch. 9). @param {Int32Array} state */
function lockContended(state) {
  let spins = 0;
  while (Atomics.load(state, 0) === LOCKED && spins < 100) spins++;
  if (Atomics.compareExchange(state, 0, UNLOCKED, LOCKED) === UNLOCKED) return;
  // Marks the lock CONTENDED so that the holder's unlock wakes us.
  while (Atomics.exchange(state, 0, CONTENDED) !== UNLOCKED) Atomics.wait(state, 0, CONTENDED, 1000);
}

/** @param {Int32Array} state */
function unlock(state) {
  // Publishes the critical section's writes; pairs with lock's compareExchange.
  if (Atomics.exchange(state, 0, UNLOCKED) === CONTENDED) Atomics.notify(state, 0, 1);
}

/** @type {Record<string, (data: Int32Array, n: number) => void>} */
const jobs = {
  /**
   * n increments of a number under the futex mutex data[0], with the least
   * that Rust's `Mutex<f64>` does per hold: after the acquire it reads the
   * lock's poison flag (data[1], beside the lock word), and the number is a
   * Float64 (what a JavaScript number is) in the same 16 bytes, bytes 8 to 15.
   */
  futex(data, n) {
    const value = new Float64Array(data.buffer, NUMBER_OFFSET, 1);
    for (let i = 0; i < n; i++) {
      lock(data);
      if (data[POISON] !== SOUND) throw new Error('futex: the lock is poisoned');
      value[0] += 1;
      unlock(data);
    }
  },
  /** The far side of n spinning round trips on data[0]: waits for odd 2i+1, answers 2i+2. */
  spin(data, n) {
    const deadline = performance.now() + LIMIT_MS;
    for (let i = 0; i < n; i++) {
      const want = 2 * i + 1;
      // Pairs with the main thread's store of `want`.
      for (let spins = 0; Atomics.load(data, 0) !== want; spins++) {
        if ((spins & 0xffff) === 0 && performance.now() > deadline) throw new Error('spin hand-off timed out');
      }
      Atomics.store(data, 0, want + 1);
    }
  },
  /** The far side of n sleeping round trips: Atomics.wait for 2i+1, store and notify 2i+2. */
  sleep(data, n) {
    const deadline = performance.now() + LIMIT_MS;
    for (let i = 0; i < n; i++) {
      const want = 2 * i + 1;
      let seen;
      // Pairs with the main thread's store + notify of `want`.
      while ((seen = Atomics.load(data, 0)) !== want) {
        Atomics.wait(data, 0, seen, 1000);
        if (performance.now() > deadline) throw new Error('wait/notify hand-off timed out');
      }
      Atomics.store(data, 0, want + 1);
      Atomics.notify(data, 0, 1);
    }
  },
};

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
port.on('message', (/** @type {number | { job: string, ctl: Int32Array, data: Int32Array, n: number, channel: import('node:worker_threads').MessagePort }} */ message) => {
  if (typeof message === 'number') {
    port.postMessage(message);
    return;
  }
  const { job, ctl, data, n, channel } = message;
  if (job === 'sink') {
    sink(ctl, channel, n);
    return;
  }
  const slot = Atomics.add(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (let spins = 0; Atomics.load(ctl, GO) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, GO, 0, 1000);
  const start = performance.now();
  try {
    jobs[job](data, n);
  } catch (error) {
    Atomics.store(ctl, FAILED, 1);
    console.error(error);
  }
  new Float64Array(ctl.buffer, DURATIONS, 8)[slot] = performance.now() - start;
  Atomics.add(ctl, DONE, 1);
  Atomics.notify(ctl, DONE);
});

/**
 * Counts n messages arriving on a MessagePort, then reports DONE.
 * @param {Int32Array} ctl
 * @param {import('node:worker_threads').MessagePort} channel
 * @param {number} n
 */
function sink(ctl, channel, n) {
  let count = 0;
  let first = 0;
  const slot = Atomics.add(ctl, READY, 1);
  channel.on('message', () => {
    if (count === 0) first = performance.now();
    if (++count === n) {
      channel.close();
      // From the first message (not GO: this side does not spin for it) to the last.
      new Float64Array(ctl.buffer, DURATIONS, 8)[slot] = performance.now() - first;
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  });
  Atomics.notify(ctl, READY);
}
