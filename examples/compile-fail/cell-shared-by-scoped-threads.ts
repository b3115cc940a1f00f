// A `Cell` borrowed by scoped threads: Cell is never Sync.
import { borrow, scope } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';

const hits = new Cell(0);
scope((s) => {
  s.spawn(borrow(hits), (hits) => hits.get());
});
