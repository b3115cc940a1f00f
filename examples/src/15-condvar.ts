/**
 * Condition variables: several consumers wait for a queue to become non-empty.
 *
 * Rust: `q = not_empty.wait(q).unwrap(); // atomically: unlock → sleep → re-lock` and `not_empty.notify_one();`
 *
 * `wait(guard)` unlocks and starts waiting in one step: no notification can
 * slip in between. Waiting is on a notification counter, not a constant, so no
 * wake-up is lost.
 */
import { borrow, scope } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';
import { Condvar, Mutex } from '@sendsync/runtime/sync';

// Rust's `Mutex<VecDeque<i32>>`: each lock changes the queue in place, whatever its length.
const queue = new Mutex(new VecDeque<number>());
const notEmpty = new Condvar();
const items = 20;
const consumers = 3;

const received = scope((s) => {
  const handles = Array.from({ length: consumers }, () =>
    s.spawn(borrow(queue, notEmpty), (queue, notEmpty) => {
      const mine: number[] = [];
      for (;;) {
        let q = queue.lock();
        while (q.value.length === 0) q = notEmpty.wait(q); // unlock → sleep → re-lock
        const item = q.value.popFront()!;
        q[Symbol.dispose]();
        if (item < 0) return mine; // the end-of-work marker
        mine.push(item);
      }
    }),
  );
  for (let i = 0; i < items; i++) {
    {
      using q = queue.lock();
      q.value.pushBack(i);
    }
    notEmpty.notifyOne();
  }
  {
    using q = queue.lock();
    for (let c = 0; c < consumers; c++) q.value.pushBack(-1);
  }
  notEmpty.notifyAll();
  return handles.map((handle) => handle.join());
});

const all = received.flat().sort((a, b) => a - b);
console.log(`${consumers} consumers received ${all.length} items, each exactly once: ${all.every((item, i) => item === i)}`);
