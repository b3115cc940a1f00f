import rule from '../../src/rules/no-non-sync-borrow.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const cellHint = 'notSyncInteriorMutability' as const;

ruleTester.run('no-non-sync-borrow', rule, {
  valid: [
    // a guard is Sync when its data is (MutexGuard<T>: Sync where T: Sync): scoped threads may read through it
    imports + `const m = new Mutex(0); const l = new RwLock([1]);\n{ using g = m.lock(); using r = l.read(); scope((s) => { s.spawn(borrow(g, r), (g, r) => g.value + r.value.length); }); }`,
    // a type parameter whose bound proves it Sync
    imports + `import type { Send, Sync } from '@sendsync/marker';\nfunction share<T extends Send & Sync>(x: T) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }`,
    // a helper whose parameter is checked at each call (\`Borrowable\`)
    imports + `import type { Borrowable } from '@sendsync/marker';\nfunction share<T>(x: Borrowable<T>) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }`,
    // ...and a caller that passes Sync data
    imports + `import type { Borrowable } from '@sendsync/marker';\nfunction share<T>(x: Borrowable<T>) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }\nshare(new Map([['k', 1]]));`,
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
      // a scoped thread's closure borrows what it refers to (rustc's E0277); a Send value may be moved instead
      code: imports + `const hits = new Cell(0);\nscope((s) => { s.spawn(() => hits.get()); });`,
      errors: [
        {
          messageId: cellHint,
          line: 7,
          column: 30,
          endColumn: 34,
          data: { problem: '`Cell<number>` cannot be shared between threads safely (at hits)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`hits` is borrowed by the closure passed to `spawn`' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'hits' }, output: imports + `const hits = new Cell(0);\nscope((s) => { s.spawn(move(hits), (hits) => hits.get()); });` }],
        },
      ],
    },
    {
      // `this` and the property chain it reads, inside a class method; not Send either: no suggestion
      code: imports + `class Counter {\n  hits = new Cell(new Rc(0));\n  run() { scope((s) => { s.spawn(() => this.hits.get().value); }); }\n}`,
      errors: [
        {
          messageId: cellHint,
          line: 8,
          column: 40,
          endColumn: 49,
          data: { problem: '`Cell<Rc<number>>` cannot be shared between threads safely (at this.hits)', reason: ': the trait `Sync` is not implemented for `Cell<Rc<number>>`', cause: '`this.hits` is borrowed by the closure passed to `spawn`' },
          suggestions: [],
        },
      ],
    },
    {
      // a spread lends its elements
      code: imports + `const cells = [new Cell(1)];\nscope((s) => { s.spawn(borrow(...cells), (...cells) => 1); });`,
      errors: [
        {
          messageId: cellHint,
          line: 7,
          column: 34,
          endColumn: 39,
          data: { problem: '`Cell<number>` cannot be shared between threads safely (at cells[i])', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`cells` is borrowed by the closure passed to `spawn`' },
        },
      ],
    },
    {
      // a property chain is named as it is read
      code: imports + `class Stats { hits = new Cell(0); run(): void { scope((s) => { s.spawn(borrow(this.hits), (h) => h.get()); }); } }`,
      errors: [{ messageId: cellHint, line: 6, column: 79, data: { problem: '`Cell<number>` cannot be shared between threads safely (at this.hits)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`this.hits` is borrowed by the closure passed to `spawn`' } }],
    },
    {
      // a parameter checked for a move is not checked for a borrow: \`Send\` is not \`Sync\`
      code: imports + `import type { Movable } from '@sendsync/marker';\nfunction share<T>(x: Movable<T>) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }`,
      errors: [{ messageId: 'notSync', line: 7, column: 66, data: { problem: '`unknown` cannot be shared between threads safely: its type does not prove it is Sync (at x)', reason: '', cause: '`x` is borrowed by the closure passed to `spawn`' } }],
    },
    {
      // Send is not Sync: a bound must prove what the borrow needs
      code: imports + `import type { Send } from '@sendsync/marker';\nfunction share<T extends Send>(x: T) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }\nfunction any<T>(x: T) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }`,
      errors: [
        { messageId: 'notSync', line: 7, column: 70, data: { problem: '`T` cannot be shared between threads safely (at x)', reason: ': consider restricting type parameter `T` with `Sync`: take the value as `Borrowable<T>` (`@sendsync/marker`), which checks it at each call', cause: '`x` is borrowed by the closure passed to `spawn`' } },
        { messageId: 'notSync', line: 8, column: 55, data: { problem: '`T` cannot be shared between threads safely (at x)', reason: ': consider restricting type parameter `T` with `Sync`: take the value as `Borrowable<T>` (`@sendsync/marker`), which checks it at each call', cause: '`x` is borrowed by the closure passed to `spawn`' } },
      ],
    },
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
    {
      // a caller of a \`Borrowable\` helper, named as the caller wrote it (tsc names the helper's place, \`borrows[0]\`)
      code: imports + `import type { Borrowable } from '@sendsync/marker';\nfunction share<T>(x: Borrowable<T>) { scope((s) => { s.spawn(borrow(x), (x) => 1); }); }\nconst hits = new Cell(0);\nshare(hits);\nclass Pool { share<T>(value: Borrowable<T>) { scope((s) => { s.spawn(borrow(value), (value) => 1); }); } }\nnew Pool().share(new Cell(1));`,
      errors: [
        {
          messageId: cellHint,
          line: 9,
          column: 7,
          data: { problem: '`Cell<number>` cannot be shared between threads safely (at hits)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`hits` is passed to `share`, which lends it to scoped threads (its parameter `x` is `Borrowable`)' },
        },
        {
          messageId: cellHint,
          line: 11,
          column: 18,
          data: { problem: '`Cell<number>` cannot be shared between threads safely (at value)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`value` is passed to `share`, which lends it to scoped threads (its parameter `value` is `Borrowable`)' },
        },
      ],
    },
  ],
});
