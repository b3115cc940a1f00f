// A guard is never Send, and is Sync when its data is (`MutexGuard<T>: Sync
// where T: Sync`): scoped threads may borrow it and read through it.
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Cell, RefCell } from '@sendsync/runtime/cell';
import { Mutex, RwLock } from '@sendsync/runtime/sync';

const counter = new Mutex(0);
const list = new RwLock([1, 2]);
{
  using guard = counter.lock();
  using reading = list.read();
  scope((s) => {
    s.spawn(borrow(guard, reading), (guard, reading) => guard.value + reading.value.length);
    s.spawn(borrow(guard), (guard) => guard.value);
  });
  spawn(move(guard), (guard) => guard.value);
}

const cells = new Mutex(new Cell(0));
{
  using guard = cells.lock();
  scope((s) => {
    s.spawn(borrow(guard), (guard) => guard.value.get());
  });
}

const tally = new RefCell(0);
{
  using ref = tally.borrow();
  scope((s) => {
    s.spawn(borrow(ref), (ref) => ref.value);
  });
}
