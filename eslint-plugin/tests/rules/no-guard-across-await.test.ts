import rule from '../../src/rules/no-guard-across-await.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('no-guard-across-await', rule, {
  valid: [
    // the guard's block ends before the await
    imports + `async function f(m: Mutex<number>) { { using g = m.lock(); g.value += 1; } await Promise.resolve(); }`,
    // released explicitly before the await
    imports + `async function f(m: Mutex<number>) { const g = m.lock(); g.value += 1; g[Symbol.dispose](); await Promise.resolve(); }`,
    // not async: no await can follow
    imports + `function f(m: Mutex<number>) { using g = m.lock(); g.value += 1; }`,
    // the await is in another function
    imports + `async function f(m: Mutex<number>) { using g = m.lock(); const later = async () => { await Promise.resolve(); }; g.value += 1; }`,
    // awaiting the lock itself, then no further await
    imports + `async function f(m: Mutex<number>) { using g = await m.lockAsync(); g.value += 1; }`,
    // a look-alike class named MutexGuard
    `class MutexGuard { value = 1; [Symbol.dispose]() {} } async function f() { using g = new MutexGuard(); await Promise.resolve(); }`,
  ],
  invalid: [
    {
      code: imports + `async function f(m: Mutex<number>) {\n  using guard = m.lock();\n  await Promise.resolve();\n  guard.value += 1;\n}`,
      errors: [{ messageId: 'heldAcrossAwait', line: 7, column: 9, endColumn: 14, data: { guard: 'MutexGuard<number>', name: 'guard', line: '8' } }],
    },
    {
      code: imports + `const f = async (lock: RwLock<string[]>, cell: RefCell<number>) => {\n  const reader = lock.read();\n  const borrowed = cell.borrowMut();\n  for await (const x of [Promise.resolve(1)]) borrowed.value += x;\n  reader[Symbol.dispose]();\n};`,
      errors: [
        { messageId: 'heldAcrossAwait', line: 7, column: 9, data: { guard: 'RwLockReadGuard<string[]>', name: 'reader', line: '9' } },
        { messageId: 'heldAcrossAwait', line: 8, column: 9, data: { guard: 'RefMut<number>', name: 'borrowed', line: '9' } },
      ],
    },
    {
      // released on one path only: still held across the await on the other
      code: imports + `async function f(m: Mutex<number>, c: boolean) {\n  const g = m.lock();\n  if (c) g[Symbol.dispose]();\n  await 0;\n}`,
      errors: [{ messageId: 'heldAcrossAwait', line: 7, column: 9, data: { guard: 'MutexGuard<number>', name: 'g', line: '9' } }],
    },
  ],
});
