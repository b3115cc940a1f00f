// Known limit, kept as a test so that a change in it is noticed.
//
// A `Movable<T>` parameter's callers are told the place the helper moves the
// value at (`captures[0]`), not the helper's parameter: the helper's
// `move(x)` accepts `x` only because its type is that very check. A check
// named after the parameter (`CheckSend<T, 'x'>`) would give callers
// "(at x)", but `tsc` (6 and 7) relates two checks of a still generic `T`
// by their arguments, the path among them, and refuses it below. The ESLint
// rules name the caller's argument (`(at rc)`), with the helper and its
// parameter.
import type { CheckSend, Movable } from '@sendsync/marker';
import { move, spawn } from '@sendsync/runtime';
import type { Rc } from '@sendsync/runtime/rc';

export function run<T>(x: Movable<T>): void {
  spawn(move(x), (x) => void x).join();
}
export function named<T>(x: CheckSend<T, 'x'>): void {
  spawn(move(x), (x) => void x).join();
}
declare const rc: Rc<number>;
run(rc);
named(rc);
