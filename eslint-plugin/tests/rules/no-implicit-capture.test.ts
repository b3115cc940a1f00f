import rule from '../../src/rules/no-implicit-capture.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

ruleTester.run('no-implicit-capture', rule, {
  valid: [
    imports + `const a = 1; spawn(move(a), (a) => a + 1);`,
    // globals that every thread has
    imports + `spawn(() => Math.PI + JSON.stringify([1]).length + structuredClone(1) + new Uint8Array(2).length + Atomics.load(new Int32Array(1), 0));`,
    imports + `spawn(() => { console.log('hi'); setTimeout(() => 0, 1); return new Map<number, Date>().size; });`,
    // the runtime's own exports exist in every thread
    imports + `spawn(() => current().id());`,
    // type positions are not captures, `typeof` queries included
    imports + `const limit = 3; spawn(() => { const n: typeof limit = 1; return n; });`,
    // type positions are not captures
    imports + `type Pair = [number, number]; interface Point { x: number } spawn(() => { const p: Pair = [1, 2]; const q = { x: 1 } satisfies Point; return p[0] + q.x; });`,
    // variables of the closure itself, and names that resolve nowhere
    imports + `spawn(function worker() { let n = 0; for (const i of [1, 2]) n += i; return n; });`,
    // scoped threads too, with their borrowed and moved values
    imports + `const xs = [1]; const n = 2; scope((s) => { s.spawn(borrow(xs), move(n), (xs, n) => xs.length + n); });`,
  ],
  invalid: [
    {
      code: imports + `const a = 1;\nspawn(() => a + 1);`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 7,
          column: 13,
          endColumn: 14,
          data: { name: 'a' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'a' }, output: imports + `const a = 1;\nspawn(move(a), (a) => a + 1);` }],
        },
      ],
    },
    {
      // added to the existing move(...), and as the next parameter
      code: imports + `const a = 1; const b = [2];\nspawn(move(a), (a) => a + b.length + b[0]!);`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 7,
          column: 27,
          data: { name: 'b' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'b' }, output: imports + `const a = 1; const b = [2];\nspawn(move(a, b), (a, b) => a + b.length + b[0]!);` }],
        },
      ],
    },
    {
      // an unparenthesised parameter, and an aliased `move`
      code: `import { spawn, move as give } from '@sendsync/runtime';\nconst a = 1; const b = 2;\nspawn(give(a), a => a + b);\nspawn(() => b);`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 3,
          column: 25,
          data: { name: 'b' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'b' }, output: `import { spawn, move as give } from '@sendsync/runtime';\nconst a = 1; const b = 2;\nspawn(give(a, b), (a, b) => a + b);\nspawn(() => b);` }],
        },
        {
          messageId: 'implicitCapture',
          line: 4,
          column: 13,
          data: { name: 'b' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'b' }, output: `import { spawn, move as give } from '@sendsync/runtime';\nconst a = 1; const b = 2;\nspawn(give(a), a => a + b);\nspawn(give(b), (b) => b);` }],
        },
      ],
    },
    {
      // a namespace import, and a scoped thread with borrowed values first
      code: `import * as rt from '@sendsync/runtime';\nconst xs = [1]; const n = 2;\nrt.scope((s) => { s.spawn(rt.borrow(xs), (xs) => xs.length + n); });`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 3,
          column: 62,
          data: { name: 'n' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'n' }, output: `import * as rt from '@sendsync/runtime';\nconst xs = [1]; const n = 2;\nrt.scope((s) => { s.spawn(rt.borrow(xs), rt.move(n), (xs, n) => xs.length + n); });` }],
        },
      ],
    },
    {
      // no `move` imported yet: the suggestion adds it to the runtime's import
      code: `import { spawn } from '@sendsync/runtime';\nconst label = 'x';\nspawn(async () => label.length);`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 3,
          column: 19,
          data: { name: 'label' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'label' }, output: `import { spawn, move } from '@sendsync/runtime';\nconst label = 'x';\nspawn(move(label), async (label) => label.length);` }],
        },
      ],
    },
    {
      // not Send: no suggestion to move it; a helper function declared outside is a capture too
      code: imports + `const rc = new Rc(1);\nfunction helper() { return 1; }\nspawn(() => rc.value + helper());`,
      errors: [
        { messageId: 'implicitCaptureNotSend', line: 8, column: 13, data: { name: 'rc' } },
        { messageId: 'implicitCaptureNotSend', line: 8, column: 24, data: { name: 'helper' } },
      ],
    },
    {
      // a function declared in this file and passed by name crosses as source text too
      code: imports + `const limit = 3;\nfunction work() { return limit * 2; }\nspawn(work);`,
      errors: [{ messageId: 'implicitCapture', line: 7, column: 26, data: { name: 'limit' }, suggestions: [] }],
    },
    {
      // and so does a closure held in a `const`
      code: imports + `const limit = 3;\nconst work = () => limit * 2;\nspawn(work);`,
      errors: [{ messageId: 'implicitCapture', line: 7, column: 20, data: { name: 'limit' }, suggestions: [] }],
    },
    {
      // a global of the main thread only
      code: imports + `spawn(() => document.title);`,
      languageOptions: { globals: { document: 'readonly' } },
      errors: [{ messageId: 'mainThreadGlobal', line: 6, column: 13, data: { name: 'document' } }],
    },
  ],
});
