import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Cell, OnceCell, RefCell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';

/* The run-time backstop, for values that `any` smuggles past tsc. */
/** What plain JavaScript, or a wrong cast, lets past `tsc`: the backstop must catch it. */
const smuggle = (value: unknown): never => value as never;

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a TypeError');
}

describe('Rc and threads', () => {
  it('moving an Rc into a thread is refused with the E0277 wording', () => {
    const rc = new Rc(5);
    expect(message(() => spawn(move(smuggle(rc)), (rc) => rc))).toBe('`Rc<number>` cannot be sent between threads safely (at captures[0])');
    expect(message(() => move(1, smuggle({ cache: [Rc.downgrade(new Rc('s'))] })))).toBe(
      '`rc::Weak<string>` cannot be sent between threads safely (at captures[1].cache[i])',
    );
    expect(Rc.strongCount(rc)).toBe(1); // untouched
  });

  it('borrowing an Rc into a scoped thread is refused too', () => {
    const rc = new Rc([1]);
    expect(message(() => scope((s) => s.spawn(borrow(smuggle(rc)), (rc) => rc)))).toMatch(/^`Rc<number\[\]>` cannot be (sent|shared) between threads safely/);
  });
});

describe('cells and threads', () => {
  it('moving a Cell, RefCell or OnceCell moves its value: the thread gets its own cell', () => {
    const cell = new Cell(1);
    const ref = new RefCell({ list: [1, 2] });
    const once = new OnceCell<string>();
    once.set('set');
    const result = spawn(move(cell, ref, once), (cell, ref, once) => {
      cell.set(cell.get() + 1);
      const writing = ref.borrowMut();
      writing.value.list.push(3);
      writing[Symbol.dispose]();
      const reading = ref.borrow();
      const list = reading.value.list;
      reading[Symbol.dispose]();
      return [cell.get(), list, once.get(), cell.constructor.name, ref.constructor.name] as const;
    }).join();
    expect(result).toEqual([2, [1, 2, 3], 'set', 'Cell', 'RefCell']);
    // eslint-disable-next-line sendsync/no-use-after-move -- deliberately reads the moved cell: the test checks a copy went
    expect(cell.get()).toBe(1); // a copy went: this one is unchanged
  });

  it('a Cell cannot be borrowed by a scoped thread: it is not Sync', () => {
    const cell = new Cell(1);
    expect(message(() => scope((s) => s.spawn(borrow(smuggle(cell)), (cell) => cell)))).toBe(
      '`Cell<number>` cannot be shared between threads safely (at borrows[0])',
    );
  });
});
