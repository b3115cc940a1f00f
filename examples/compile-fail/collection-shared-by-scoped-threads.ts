// A `VecDeque` borrowed by scoped threads: a collection is never Sync on its own
// (two threads could change it at once); share it in a `Mutex`.
import { borrow, scope } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';

const jobs = VecDeque.from([1, 2, 3]);
scope((s) => {
  s.spawn(borrow(jobs), (jobs) => jobs.popFront());
});
