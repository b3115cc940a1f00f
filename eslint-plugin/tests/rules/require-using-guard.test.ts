import rule from '../../src/rules/require-using-guard.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('require-using-guard', rule, {
  valid: [
    imports + `function f(m: Mutex<number>) { using g = m.lock(); g.value += 1; }`,
    imports + `async function f(m: Mutex<number>) { await using g = await m.lockAsync(); g.value += 1; }`,
    // released on every path, by try/finally
    imports + `function f(m: Mutex<number>) { const g = m.lock(); try { g.value += 1; } finally { g[Symbol.dispose](); } }`,
    // released on every path, in both branches
    imports + `function f(m: Mutex<number>, c: boolean) { const g = m.lock(); if (c) { g[Symbol.dispose](); return 1; } g[Symbol.dispose](); return 2; }`,
    // handed on: returned, passed (Condvar#wait takes the guard), stored
    imports + `function f(m: Mutex<number>) { return m.lock(); }`,
    imports + `function f(m: Mutex<number>, cv: Condvar) { using g = cv.wait(m.lock()); }`,
    imports + `function f(m: Mutex<number>, cv: Condvar) { const g = m.lock(); using again = cv.wait(g); }`,
    imports + `const held: unknown[] = []; function f(cell: RefCell<number>) { held.push(cell.borrow()); }`,
    // a `try...()` that found nothing holds nothing on that branch
    imports + `function f(cell: RefCell<number>) { const ref = cell.tryBorrow(); if (ref === undefined) return 0; try { return ref.value; } finally { ref[Symbol.dispose](); } }`,
    imports + `function f(m: Mutex<number>) { let g: ReturnType<typeof m.lock> | undefined; g = undefined; }`,
    // not a guard
    imports + `function f(m: Mutex<number>, a: Arc<number>) { const b = a.clone(); }`,
    // a PoisonError's intoInner() takes the lock: bound with `using`, as lock()'s guard; one holding a value is no guard
    imports + `function f(e: import('@sendsync/runtime/sync').PoisonError<ReturnType<Mutex<number>['lock']>>) { using g = e.intoInner(); g.value += 1; }`,
    imports + `function f(e: import('@sendsync/runtime/sync').PoisonError<number>) { const n = e.intoInner(); return n; }`,
  ],
  invalid: [
    {
      // a lock's PoisonError takes the lock in intoInner() (and getRef()): the same message as for lock()
      code: imports + `function f(e: import('@sendsync/runtime/sync').PoisonError<ReturnType<Mutex<number>['lock']>>) {\n  const g = e.intoInner();\n  g.value += 1;\n  e.getRef().value = 2;\n}`,
      errors: [
        { messageId: 'notReleased', line: 7, column: 13, data: { guard: 'MutexGuard<number>', name: 'g' }, suggestions: [{ messageId: 'useUsing', output: imports + `function f(e: import('@sendsync/runtime/sync').PoisonError<ReturnType<Mutex<number>['lock']>>) {\n  using g = e.intoInner();\n  g.value += 1;\n  e.getRef().value = 2;\n}` }] },
        { messageId: 'discarded', line: 9, column: 3, data: { guard: 'MutexGuard<number>' } },
      ],
    },
    {
      // found, then leaked on the other branch
      code: imports + `function f(cell: RefCell<number>) {\n  const ref = cell.tryBorrow();\n  if (ref === undefined) return 0;\n  return ref.value;\n}`,
      errors: [{ messageId: 'notReleased', line: 7, column: 15, data: { guard: 'Ref<number>', name: 'ref' }, suggestions: [{ messageId: 'useUsing', output: imports + `function f(cell: RefCell<number>) {\n  using ref = cell.tryBorrow();\n  if (ref === undefined) return 0;\n  return ref.value;\n}` }] }],
    },
    {
      code: imports + `function f(m: Mutex<number>) {\n  const g = m.lock();\n  g.value += 1;\n}`,
      errors: [
        {
          messageId: 'notReleased',
          line: 7,
          column: 13,
          endColumn: 21,
          data: { guard: 'MutexGuard<number>', name: 'g' },
          suggestions: [{ messageId: 'useUsing', output: imports + `function f(m: Mutex<number>) {\n  using g = m.lock();\n  g.value += 1;\n}` }],
        },
      ],
    },
    {
      // an early return skips the release
      code: imports + `function f(lock: RwLock<number>, c: boolean) {\n  let g = lock.write();\n  if (c) return;\n  g[Symbol.dispose]();\n}`,
      errors: [{ messageId: 'notReleased', line: 7, column: 11, data: { guard: 'RwLockWriteGuard<number>', name: 'g' }, suggestions: [] }],
    },
    {
      // a guard that is dropped on the floor, or used once as a temporary
      code: imports + `function f(m: Mutex<number>, cell: RefCell<number>) {\n  m.lock();\n  m.lock().value += 1;\n  return cell.borrow().value;\n}`,
      errors: [
        { messageId: 'discarded', line: 7, column: 3, data: { guard: 'MutexGuard<number>' } },
        { messageId: 'discarded', line: 8, column: 3, data: { guard: 'MutexGuard<number>' } },
        { messageId: 'discarded', line: 9, column: 10, data: { guard: 'Ref<number>' } },
      ],
    },
  ],
});
