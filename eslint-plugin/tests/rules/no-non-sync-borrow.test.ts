import rule from '../../src/rules/no-non-sync-borrow.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const cellHint = 'notSyncInteriorMutability' as const;

ruleTester.run('no-non-sync-borrow', rule, {
  valid: [
    imports + `const numbers = [1, 2, 3]; scope((s) => { s.spawn(borrow(numbers), (numbers) => numbers.length); });`,
    // Mutex<T> is Sync when T is Send: the lock makes a Cell shareable
    imports + `const m = new Mutex(new Cell(1)); scope((s) => { s.spawn(borrow(m), (m) => 1); });`,
    imports + `const a = new AtomicU32(0); const r = new RwLock([1]); scope((s) => { s.spawn(borrow(a, r), move(2), (a, r, two) => a.load()); });`,
    imports + `const shared = new Arc({ id: 1 }); scope((s) => s.spawn(borrow(shared), (shared) => shared.value.id));`,
    // RefCell#borrow is a method, not the runtime's `borrow` function
    imports + `const cell = new RefCell(1); using r = cell.borrow();`,
  ],
  invalid: [
    {
      code: imports + `const counter = new Cell(1);\nscope((s) => { s.spawn(borrow(counter), (counter) => counter.get()); });`,
      errors: [
        {
          messageId: cellHint,
          line: 7,
          column: 31,
          endColumn: 38,
          data: { problem: '`Cell<number>` cannot be shared between threads safely (at counter)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`counter` is borrowed by the closure passed to `spawn`' },
        },
      ],
    },
    {
      code: imports + `const cache = { hits: new RefCell(0), name: 'c' };\nscope((s) => s.spawn(borrow(1, cache), (one, cache) => 1));`,
      errors: [
        { messageId: cellHint, line: 7, column: 32, data: { problem: '`RefCell<number>` cannot be shared between threads safely (at cache.hits)', reason: ': the trait `Sync` is not implemented for `RefCell<number>`', cause: '`cache` is borrowed by the closure passed to `spawn`' } },
      ],
    },
    {
      // not Sync, but not interior mutability: no hint
      code: imports + `const rc = new Rc(1);\nconst b = borrow(rc, anything);`,
      errors: [
        { messageId: 'notSync', line: 7, column: 18, data: { problem: '`Rc<number>` cannot be shared between threads safely (at rc)', reason: ': the trait `Sync` is not implemented for `Rc<number>`', cause: '`rc` is borrowed with `borrow(...)`' } },
        { messageId: 'notSync', line: 7, column: 22, data: { problem: '`any` cannot be shared between threads safely: its type does not prove it is Sync (at anything)', reason: '', cause: '`anything` is borrowed with `borrow(...)`' } },
      ],
    },
    {
      // RwLock<T> is Sync only when T is Send and Sync
      code: imports + `scope((s) => s.spawn(borrow(new RwLock(new Cell(1))), (lock) => 1));`,
      errors: [
        { messageId: cellHint, line: 6, column: 29, data: { problem: '`Cell<number>` cannot be shared between threads safely (at borrows[0])', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`borrows[0]` is borrowed by the closure passed to `spawn`' } },
      ],
    },
  ],
});
