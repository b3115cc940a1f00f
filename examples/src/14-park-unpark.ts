/**
 * Thread parking: a consumer sleeps until a producer wakes it.
 *
 * Rust: `thread::park()` in the consumer; `t.thread().unpark()` in the producer.
 *
 * An `unpark()` that comes before `park()` is saved, so the next `park()`
 * returns at once; tokens do not stack; and `park()` may return spuriously, so
 * the consumer always re-checks its condition.
 */
import { borrow, current, park, scope } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';
import { Mutex } from '@sendsync/runtime/sync';

// An unpark that arrives first is saved:
current().unpark();
park(); // returns at once, consuming the token
console.log('an unpark before park() was not lost');

// Rust's `Mutex<VecDeque<i32>>`: the queue lives in shared memory, changed in place under the lock.
const queue = new Mutex(new VecDeque<number>());
const received = scope((s) => {
  const consumer = s.spawn(borrow(queue), (queue) => {
    const items: number[] = [];
    while (items.length < 5) {
      let item: number | undefined;
      {
        using q = queue.lock();
        item = q.value.popFront();
      }
      if (item !== undefined) items.push(item);
      else park(); // nothing here: go to sleep (and re-check when woken)
    }
    return items;
  });

  for (let i = 0; i < 5; i++) {
    {
      using q = queue.lock();
      q.value.pushBack(i);
    }
    consumer.thread().unpark(); // wake the consumer
  }
  return consumer.join();
});
console.log(`the consumer received ${JSON.stringify(received)}`);
