// @ts-check
/**
 * Threads that spawn threads, in a browser page. Chromium starts a worker's
 * own workers through that worker's event loop: a thread that spawns and
 * then blocks (join(), scope()'s end), or returns at once (its worker then
 * sleeps between threads), runs none, so a new worker its spawn started
 * itself would never run a line. Each export is one test's body; each
 * waits at most `WAIT_MS` for its threads and says so if they hang, so that
 * a hang fails its own test without holding up the page for the next.
 */
import { borrow, move, scope, spawn } from '@sendsync/runtime';

/** How long a test waits for its threads before it reports them hung: far longer than a loaded machine needs. */
const WAIT_MS = 60_000;

/**
 * `promise`'s value, or a rejection naming `what` if it does not settle within WAIT_MS.
 * @template T
 * @param {Promise<T>} promise
 * @param {string} what
 * @returns {Promise<T>}
 */
function within(promise, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const hung = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${WAIT_MS} ms (a nested worker never started)`)), WAIT_MS);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, hung])).finally(() => clearTimeout(timer));
}

/**
 * From the page, `rounds` times: a thread spawns a thread and blocks in
 * join() on it. Returns each round's result.
 * @param {number} rounds
 */
export async function spawnAndJoin(rounds) {
  const results = [];
  for (let round = 0; round < rounds; round++) {
    results.push(await within(spawn(move(round), (round) => spawn(move(round), (round) => round * 3).join() + 1).joinAsync(), `round ${round}`));
  }
  return results;
}

/** Three levels below the page: each thread spawns the next and joins it. */
export async function threeLevels() {
  return within(
    spawn(() => {
      const second = spawn(() => {
        const third = spawn(() => 'third');
        return `${third.join()} < second`;
      });
      return `${second.join()} < first`;
    }).joinAsync(),
    'three levels',
  );
}

/**
 * A thread spawns `count` threads and returns their handles at once, without
 * joining them (its worker then sleeps, waiting for its next thread); the page
 * joins them. Returns their results.
 * @param {number} count
 */
export async function spawnAndReturn(count) {
  const handles = await within(
    spawn(move(count), (count) => {
      const handles = [];
      for (let i = 0; i < count; i++) handles.push(spawn(move(i), (i) => i * i));
      return handles;
    }).joinAsync(),
    'the spawning thread',
  );
  const results = [];
  for (const handle of handles) results.push(await within(handle.joinAsync(), 'a handle the page joined'));
  return results;
}

/**
 * In a thread, scope() with `count` scoped threads, each borrowing one array
 * and summing its slice; scope() joins them all before it returns.
 * @param {number} count
 */
export async function scopeInThread(count) {
  return within(
    spawn(move(count), (count) => {
      const numbers = Array.from({ length: count * 100 }, (_, i) => i);
      /** @type {number[]} */
      const sums = [];
      scope((s) => {
        const handles = [];
        for (let part = 0; part < count; part++) {
          handles.push(s.spawn(borrow(numbers), move(part), (numbers, part) => numbers.slice(part * 100, part * 100 + 100).reduce((a, b) => a + b, 0)));
        }
        for (const handle of handles) sums.push(handle.join());
      });
      return sums;
    }).joinAsync(),
    'scope in a thread',
  );
}
