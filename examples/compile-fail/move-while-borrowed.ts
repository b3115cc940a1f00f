// E0505: a value moved into a thread while scoped threads still borrow it
// (a `borrow(...)` lasts until its `scope` ends); after the scope, the move is fine.
import { borrow, move, scope, spawn } from '@sendsync/runtime';

const names = ['a', 'b'];
scope((s) => {
  s.spawn(borrow(names), (names) => names.length);
  spawn(move(names), (names) => names.length).join();
});
