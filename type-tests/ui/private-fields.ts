// `private` and `#private` fields are not in `keyof`: tsc sees only the public
// ones. A class whose private fields decide its row states the row itself,
// as a Rust struct is Send when every field is.
import type { Traits } from '@sendsync/marker';
import { move, spawn } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';

export class Holder {
  private rc = new Rc(1);
  #hits = new Cell(0);
  size = this.rc.value + this.#hits.get();
}
spawn(move(new Holder()), (h) => h.size); // accepted by tsc: only `size` is visible (ESLint and the run time refuse it)

export class Cache {
  private rc = new Rc(1);
  #hits = new Cell(0);
  size = this.rc.value + this.#hits.get();
}
// Send if every field is, Sync if every field is.
export interface Cache extends Traits<'Cache', [Rc<number>, Cell<number>, number], 'T: Send', 'T: Sync'> {}
spawn(move(new Cache()), (c) => c.size);
