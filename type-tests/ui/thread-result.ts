// A thread's result must be Send: the headline is rustc's sentence, the same
// under TypeScript 6 and 7, for every way of spawning, sync or async.
import { borrow, Builder, move, scope, spawn } from '@sendsync/runtime';
import { Rc } from '@sendsync/runtime/rc';

spawn(() => new Rc(1));
spawn(move(1), (n) => new Rc(n));
spawn(async () => new Rc(1));
new Builder().spawn(() => new Rc(1));
scope((s) => {
  s.spawn(() => new Rc(1));
  s.spawn(move(1), (n) => new Rc(n));
  s.spawn(borrow(1), (n) => new Rc(n));
});

// Send results, and what `join()` gives back.
export const a: number = spawn(async () => 1).join();
export const b: string = spawn(move(1), async (n) => `${n}`).join();
export const c: number = scope((s) => s.spawn(borrow([1]), async (xs) => xs.length).join());
spawn(() => {
  throw new Error('no result');
});
