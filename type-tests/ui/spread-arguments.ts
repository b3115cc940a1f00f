// Spread arguments pass their elements: each element is checked, an array's
// at `captures[i]`, a tuple's at its index.
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';

const rcs = [new Rc(1), new Rc(2)];
spawn(move(...rcs), (...rcs) => rcs.length);

const pair = [2, new Rc(1)] as const;
spawn(move(...pair), (n, rc) => n);

const cells = [new Cell(1)];
scope((s) => {
  s.spawn(borrow(...cells), (...cells) => cells.length);
});

export function restTuple(...values: [number, Rc<number>]): void {
  spawn(move(...values), (n, rc) => n);
}

export function restArray(...values: Rc<number>[]): void {
  spawn(move(...values), (...values) => values.length);
}

// Send elements pass.
const numbers = [1, 2, 3];
spawn(move(...numbers), (...numbers) => numbers.length);
