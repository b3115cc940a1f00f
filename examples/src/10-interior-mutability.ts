/**
 * Interior mutability: changing data through a shared reference, safely.
 *
 * | type      | thread-safe | how it works            |
 * |-----------|-------------|-------------------------|
 * | Cell      | no          | copy in / copy out      |
 * | RefCell   | no          | run-time borrow check   |
 * | Mutex     | yes         | exclusive lock          |
 * | RwLock    | yes         | shared + exclusive lock |
 * | Atomic*   | yes         | a CPU instruction       |
 */
import { borrow, scope } from '@sendsync/runtime';
import { Cell, RefCell, BorrowMutError } from '@sendsync/runtime/cell';
import { AtomicU32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';

// Cell: copy in, copy out.
const cell = new Cell(1);
cell.set(cell.get() + 1);
console.log(`Cell: ${cell.get()}`);

// RefCell: borrows checked at run time.
const list = new RefCell<number[]>([]);
{
  using items = list.borrowMut();
  items.value.push(1, 2);
  try {
    using second = list.borrowMut(); // a second mutable borrow while the first is alive
    second.value.push(3);
  } catch (error) {
    console.log(`RefCell: ${(error as Error).name} (${error instanceof BorrowMutError})`);
  }
}
{
  using items = list.borrow();
  console.log(`RefCell: ${JSON.stringify(items.value)}`);
}

// Mutex, RwLock and atomics: the same idea, across threads (borrowed by a scoped thread).
const mutex = new Mutex(0);
const rwlock = new RwLock('v1');
const atomic = new AtomicU32(0);
scope((s) => {
  s.spawn(borrow(mutex, rwlock, atomic), (mutex, rwlock, atomic) => {
    {
      using guard = mutex.lock();
      guard.value += 10;
    }
    {
      using writer = rwlock.write();
      writer.value = 'v2';
    }
    atomic.fetchAdd(5, Ordering.Relaxed);
  });
});
{
  using guard = mutex.lock();
  console.log(`Mutex: ${guard.value}`);
}
{
  using reader = rwlock.read();
  console.log(`RwLock: ${reader.value}`);
}
console.log(`AtomicU32: ${atomic.load(Ordering.SeqCst)}`);
