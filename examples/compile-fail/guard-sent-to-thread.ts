// A `MutexGuard` moved into a thread: a guard never leaves the thread that locked.
import { move, spawn } from '@sendsync/runtime';
import { Mutex } from '@sendsync/runtime/sync';

const counter = new Mutex(0);
const guard = counter.lock();
spawn(move(guard), (guard) => guard.value + 1);
