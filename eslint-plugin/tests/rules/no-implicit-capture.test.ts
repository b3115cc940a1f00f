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
    // a \`const enum\`'s members are replaced by their values when compiled: the closure's text does not name it
    imports + `const enum Dir { Up = 1, Down = 2 }\nspawn(() => Dir.Up + Dir['Down']);`,
    // variables of the closure itself, and names that resolve nowhere
    imports + `spawn(function worker() { let n = 0; for (const i of [1, 2]) n += i; return n; });`,
    // scoped threads too, with their borrowed and moved values
    imports + `const xs = [1]; const n = 2; scope((s) => { s.spawn(borrow(xs), move(n), (xs, n) => xs.length + n); });`,
    // the module's imports are bound in the thread: named, default and namespace imports of any module
    `import { spawn } from '@sendsync/runtime';\nimport { readFileSync } from 'node:fs';\nimport path, * as paths from 'node:path';\nimport { Rc } from '@sendsync/runtime/rc';\nspawn(() => readFileSync(path.join('a', paths.sep)).length + new Rc(1).value);`,
    // a scoped thread's capture that is not Sync is \`no-non-sync-borrow\`'s to report (rustc's E0277)
    imports + `const hits = new Cell(0); scope((s) => { s.spawn(() => hits.get()); });`,
  ],
  invalid: [
    {
      // an ordinary enum is an object of the spawning module
      code: imports + `enum Mode { Fast, Slow }\nspawn(() => Mode.Fast);`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 7,
          column: 13,
          data: { name: 'Mode' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'Mode' }, output: imports + `enum Mode { Fast, Slow }\nspawn(move(Mode), (Mode) => Mode.Fast);` }],
        },
      ],
    },
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
          messageId: 'implicitBorrow',
          line: 3,
          column: 62,
          data: { name: 'n' },
          suggestions: [{ messageId: 'borrowIn', data: { name: 'n' }, output: `import * as rt from '@sendsync/runtime';\nconst xs = [1]; const n = 2;\nrt.scope((s) => { s.spawn(rt.borrow(xs, n), (xs, n) => xs.length + n); });` }],
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
      // not Send, or a function of this module: one diagnostic each, with the run time's advice and no `move(fn)`
      code: imports + `const rc = new Rc(1);\nfunction helper() { return 1; }\nclass Tally { n = 0 }\nconst twice = (n: number) => n * 2;\nspawn(() => rc.value + helper() + new Tally().n + twice(1));`,
      errors: [
        { messageId: 'implicitCapture', line: 10, column: 13, data: { name: 'rc' }, suggestions: [] },
        { messageId: 'implicitCapture', line: 10, column: 24, data: { name: 'helper' }, suggestions: [] },
        { messageId: 'implicitCapture', line: 10, column: 39, data: { name: 'Tally' }, suggestions: [] },
        { messageId: 'implicitCapture', line: 10, column: 51, data: { name: 'twice' }, suggestions: [] },
      ],
    },
    {
      // a local of an enclosing function is not an import either
      code: imports + `export function run(limit: number) {\n  return spawn(() => limit * 2);\n}`,
      errors: [
        {
          messageId: 'implicitCapture',
          line: 7,
          column: 22,
          data: { name: 'limit' },
          suggestions: [{ messageId: 'moveIn', data: { name: 'limit' }, output: imports + `export function run(limit: number) {\n  return spawn(move(limit), (limit) => limit * 2);\n}` }],
        },
      ],
    },
    {
      // a scoped thread borrows what it refers to: a Sync value is lent with borrow(...), before the moved ones
      code: imports + `const xs = [1]; const n = 2;\nscope((s) => { s.spawn(move(n), (n) => xs.length + n); });`,
      errors: [
        {
          messageId: 'implicitBorrow',
          line: 7,
          column: 40,
          data: { name: 'xs' },
          suggestions: [{ messageId: 'borrowIn', data: { name: 'xs' }, output: imports + `const xs = [1]; const n = 2;\nscope((s) => { s.spawn(borrow(xs), move(n), (xs, n) => xs.length + n); });` }],
        },
      ],
    },
    {
      // `this` of an enclosing method is a capture too; rustc's advice for `self` (E0521): read the field into a local and pass that
      code: imports + `class Job {\n  size = 1;\n  run() { return spawn(() => this.size); }\n}`,
      errors: [
        {
          messageId: 'thisCapture',
          line: 8,
          column: 30,
          endColumn: 39,
          data: { chain: 'this.size', advice: 'read it into a local before the spawn (`const size = this.size;`) and pass that with `move(size)`' },
        },
      ],
    },
    {
      // ...in a scoped thread, a Sync field is lent; a method called on \`this\` needs the fields it reads; a field that is not Send says so
      code:
        imports +
        `class Job {\n  sizes = [1];\n  cache = new Rc(1);\n  total() { return 1; }\n  run() {\n    scope((s) => { s.spawn(() => this.sizes.length); });\n    spawn(() => this.total());\n    spawn(() => this.cache);\n  }\n}`,
      errors: [
        {
          messageId: 'thisCapture',
          line: 11,
          column: 34,
          data: { chain: 'this.sizes.length', advice: 'read it into a local before the spawn (`const length = this.sizes.length;`) and pass that with `borrow(length)`' },
        },
        {
          messageId: 'thisCapture',
          line: 12,
          column: 17,
          data: { chain: 'this', advice: 'read the fields it needs into locals before the spawn and pass them with `move(...)`' },
        },
        {
          messageId: 'thisCapture',
          line: 13,
          column: 17,
          data: { chain: 'this.cache', advice: '`this.cache` is not Send either: read the Send data the thread needs into locals before the spawn and pass them with `move(...)`' },
        },
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
