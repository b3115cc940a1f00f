// A guard that is neither bound with `using` nor released on every path.
import { Mutex } from '@sendsync/runtime/sync';

const counter = new Mutex(0);

export function bump(): number {
  const guard = counter.lock();
  guard.value += 1;
  if (guard.value > 10) return -1; // the lock is never released on this path
  guard[Symbol.dispose]();
  return 0;
}
