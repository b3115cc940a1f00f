// Generic code, as rustc checks it: a type parameter is Send (or Sync) when its
// bound proves it, whatever it is instantiated with later.
import type { Borrowable, Movable, Send, Sync } from '@sendsync/marker';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import type { Cell } from '@sendsync/runtime/cell';
import type { Rc } from '@sendsync/runtime/rc';

// `fn run<T: Send + 'static>(x: T) { thread::spawn(move || drop(x)); }`: accepted.
export function run<T extends Send>(x: T): void {
  spawn(move(x), (x) => void x).join();
}

// A bound by a Send type proves it too.
export function runNumbers<T extends number[]>(xs: T): void {
  spawn(move(xs, 1), (xs, n) => xs.length + n).join();
}

// `T: Send + Sync` may be borrowed by scoped threads.
export function share<T extends Send & Sync>(x: T): void {
  scope((s) => {
    s.spawn(borrow(x), (x) => void x);
  });
}

// No bound: rustc says "`T` cannot be sent between threads safely".
export function unbounded<T>(x: T): void {
  spawn(move(x), (x) => void x).join();
}

// A bound that proves the opposite.
export function counted<T extends Rc<number>>(x: T): void {
  spawn(move(x), (x) => void x).join();
}

// Send is not Sync.
export function sendOnly<T extends Send>(x: T): void {
  scope((s) => {
    s.spawn(borrow(x), (x) => void x);
  });
}

// A parameter checked at each call (`Movable`, `Borrowable`), as rustc checks
// `fn run<T: Send>(x: T)`'s callers: plain data passes, and the helper's own
// `move` (at the same place) or `borrow` accepts it.
export function runChecked<T>(x: Movable<T>): void {
  spawn(move(x), (x) => void x).join();
}
export function pairChecked<A, B>(a: Movable<A>, b: Movable<B, 1>): void {
  spawn(move(a, b), (a, b) => void [a, b]).join();
}
export function shareChecked<T>(x: Borrowable<T>): void {
  scope((s) => {
    s.spawn(borrow(x), (x) => void x);
  });
}
runChecked([1, 2]);
runChecked({ id: 1, tags: new Set(['a']) });
pairChecked(1, ['two']);
shareChecked(new Map([['k', 1]]));

// Callers get rustc's sentence.
declare const rc: Rc<number>;
declare const cell: Cell<number>;
runChecked(rc);
pairChecked(1, () => 2);
shareChecked(cell);
