import rule from '../../src/rules/no-use-after-move.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const vec = { name: 'v', line: '6', type: 'number[]' };

ruleTester.run('no-use-after-move', rule, {
  valid: [
    // a clone per run, and a callback that runs once (scope's)
    imports + `const counter = new Arc(new Mutex(0));\n[1, 2, 3].map(() => spawn(move(counter.clone()), (c) => 1));\nconst v = [1];\nscope((s) => { s.spawn(move(v), (v) => v.length); });`,
    // used before the move
    imports + `const v = [1]; console.log(v.length); spawn(move(v), (v) => v.length);`,
    // a move in one branch and a use in the other
    imports + `const v = [1]; declare const c: boolean;\nif (c) { spawn(move(v), (v) => v.length); } else { console.log(v); }`,
    imports + `const v = [1]; declare const c: boolean;\nif (c) { spawn(move(v), (v) => v.length); return; }\nconsole.log(v);`.replace('if (c)', 'function f() { if (c)') + '}',
    // primitives are copied, as Rust's `Copy` types
    imports + `const n = 1; const s = 'x'; spawn(move(n, s), (n, s) => n); console.log(n, s);`,
    // handles to shared memory are `Copy` (the marker's brand): the original stays usable
    imports + `const m = new Mutex(0); const c = new Condvar(); const a = new AtomicU32(0);\nspawn(move(m, c, a), (m, c, a) => 1);\nm.lock(); c.notifyAll(); a.load('SeqCst');`,
    imports + `const shared = new Int32Array(new SharedArrayBuffer(8)); spawn(move(shared), (s) => s[0]);\nAtomics.add(shared, 0, 1);`,
    // re-assigned after the move: a new value
    imports + `let v = [1]; spawn(move(v), (v) => v.length); v = [2]; console.log(v);`,
    // re-assigned later in the iteration that moved it
    imports + `let v = [1];\nfor (let i = 0; i < 2; i++) { spawn(move(v), (v) => v.length); v = [i]; }`,
    // a fresh binding in every iteration
    imports + `for (let i = 0; i < 3; i++) { const v = [i]; spawn(move(v), (v) => v.length); }`,
    // a type position reads no value
    imports + `const v = [1]; spawn(move(v), (v) => v.length); let copy: typeof v = [];`,
    // the moved value inside the spawned closure is its parameter
    imports + `const v = [1]; spawn(move(v), (v) => v.length);`,
    // a closure made before the move, called before it
    imports + `const v = [1];\nconst show = () => v.length;\nshow();\nspawn(move(v), (v) => v.length);`,
    // a view used before its buffer moves
    imports + `const buffer = new ArrayBuffer(8);\nconst view = new Uint8Array(buffer);\nview[0] = 1;\nspawn(move(buffer), (b) => b.byteLength);`,
    // a helper that moves its own value, called twice
    imports + `const start = () => { const v = [1]; spawn(move(v), (v) => v.length); };\nstart();\nstart();`,
    // a helper that moves a variable, called once, the variable not used after it
    imports + `const v = [1];\nfunction start() { spawn(move(v), (v) => v.length); }\nstart();`,
    // a closure made in each iteration that moves a variable declared in the same iteration
    imports + `for (let i = 0; i < 2; i++) { const v = [i]; const start = () => spawn(move(v), (v) => v.length); start(); }`,
    // ...or re-assigned before the next iteration makes it again
    imports + `let v = [1];\nfor (let i = 0; i < 2; i++) { const start = () => spawn(move(v), (v) => v.length); start(); v = [i]; }`,
    // a copy of a moved typed array is not a view (\`slice\` copies), and an object's own \`buffer\` field is not memory
    imports + `const bytes = new Uint8Array(8);\nconst copy = bytes.slice(2);\nspawn(move(bytes), (b) => b[0]);\ncopy[0] = 1;`,
    imports + `const packet = { buffer: [1, 2] };\nconst items = packet.buffer;\nspawn(move(packet), (p) => p.buffer.length);\nitems.push(3);`,
    // a view over shared memory: the moved array is a handle (\`Copy\`), its views stay valid
    imports + `const shared = new Int32Array(new SharedArrayBuffer(8));\nconst part = shared.subarray(1);\nspawn(move(shared), (s) => s[0]);\npart[0] = 1;`,
    // an object's method that moves a variable, called once
    imports + `const v = [1];\nconst api = { start() { spawn(move(v), (v) => v.length); } };\napi.start();`,
    // a value borrowed by scoped threads is moved after the scope ends (Rust accepts: the borrow ended with the scope)
    imports + `const v = [1];\nscope((s) => { s.spawn(borrow(v), (v) => v.length); });\nspawn(move(v), (v) => v.length);`,
    // ...or after an inner scope that borrowed it has ended, inside an outer one
    imports + `const v = [1];\nscope((s) => {\n  scope((t) => { t.spawn(borrow(v), (v) => v.length); });\n  s.spawn(move(v), (v) => v.length);\n});`,
    // a move before the borrow in the same scope is E0382 at the borrow, not E0505 (see invalid); a Copy handle may be both
    imports + `const m = new Mutex(0);\nscope((s) => { s.spawn(borrow(m), (m) => 1); spawn(move(m), (m) => 1); });`,
    // a look-alike move
    `function move<T>(value: T): T { return value; } const v = [1]; move(v); console.log(v);`,
  ],
  invalid: [
    {
      code: imports + `const v = [1]; spawn(move(v), (v) => v.length);\nconsole.log(v.length);`,
      errors: [{ messageId: 'useAfterMove', line: 7, column: 13, endColumn: 14, data: vec }],
    },
    {
      // maybe moved: a move in one branch, a use after the branches join
      code: imports + `const v = [1]; declare const c: boolean;\nif (c) spawn(move(v), (v) => v.length);\nconsole.log(v);`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 13, data: { ...vec, line: '7' } }],
    },
    {
      // moved in a previous iteration of the loop
      code: imports + `const v = [1];\nfor (let i = 0; i < 2; i++) spawn(move(v), (v) => v.length);`,
      errors: [{ messageId: 'movedInLoop', line: 7, column: 40, data: { ...vec, line: '7' } }],
    },
    {
      // moved in a callback that runs once per element: the README's pattern with `.clone()` forgotten
      code: imports + `const counter = new Arc(new Mutex(0));\n[1, 2, 3].map(() => spawn(move(counter), (c) => 1));`,
      errors: [{ messageId: 'movedInCallback', line: 7, column: 32, data: { name: 'counter', line: '7', type: 'Arc<Mutex<number>>', callee: 'map' } }],
    },
    {
      // a closure created after the move uses the moved value
      code: imports + `const m = new Arc(new Mutex(0));\nconst h = spawn(move(m), (m) => 1);\nconst later = () => m.value;`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 21, data: { name: 'm', line: '7', type: 'Arc<Mutex<number>>' } }],
    },
    {
      // a view over an ordinary buffer is a copy (or a transfer): not `Copy`
      code: imports + `const bytes = new Int32Array(8);\nspawn(move(bytes), (b) => b[0]);\nbytes[0] = 1;`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 1, data: { name: 'bytes', line: '7', type: 'Int32Array' } }],
    },
    {
      // moved with move(...) before the spawn, then moved again
      code: imports + `const v = new Map<string, number>();\nconst captures = move(v);\nspawn(move(v), (v) => v.size);`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 12, data: { name: 'v', line: '7', type: 'Map<string, number>' } }],
    },
    {
      // a helper closure that moves a variable of its surroundings: the closure takes it when it is made, as Rust's
      // `let start = move || { thread::spawn(move || drop(v)); }; start(); println!("{v:?}")` (E0382, value moved into closure here)
      code: imports + `const v = [1];\nconst start = () => spawn(move(v), (v) => v.length);\nstart();\nconsole.log(v);`,
      errors: [{ messageId: 'movedIntoClosure', line: 9, column: 13, data: { ...vec, line: '7' } }],
    },
    {
      // ...and calling it twice moves the value twice (E0382: closure cannot be invoked more than once)
      code: imports + `const v = [1];\nconst start = () => { spawn(move(v), (v) => v.length); };\nstart();\nstart();`,
      errors: [{ messageId: 'closureCalledTwice', line: 9, column: 1, data: { name: 'v', line: '7', closure: 'start' } }],
    },
    {
      // a value moved into a scoped thread and read after the scope (E0382, value moved into closure here)
      code: imports + `const v = [1];\nscope((s) => { s.spawn(move(v), (v) => v.length); });\nconsole.log(v);`,
      errors: [{ messageId: 'movedIntoClosure', line: 8, column: 13, data: { ...vec, line: '7' } }],
    },
    {
      // a closure made before the move that reads the value, called after it
      // (Rust's `let show = || v.len(); thread::spawn(move || drop(v)); show();`: E0505, cannot move out of `v` because it is borrowed)
      code: imports + `const v = [1];\nconst show = () => v.length;\nspawn(move(v), (v) => v.length);\nshow();`,
      errors: [{ messageId: 'calledAfterMove', line: 9, column: 1, data: { ...vec, line: '8', closure: 'show' } }],
    },
    {
      // a typed-array view taken before its buffer moved (transferred: detached)
      // (Rust's `let view = &buf[..]; thread::spawn(move || drop(buf)); view[0]`: E0505)
      code: imports + `const buffer = new ArrayBuffer(8);\nconst view = new Uint8Array(buffer);\nspawn(move(buffer), (b) => b.byteLength);\nview[0] = 1;`,
      errors: [{ messageId: 'viewAfterMove', line: 9, column: 1, data: { name: 'buffer', line: '8', type: 'ArrayBuffer', view: 'view' } }],
    },
    {
      // a closure made again in each iteration moves the outer variable again
      // (Rust's `for _ in 0..2 { let start = move || { thread::spawn(move || v.len()); }; start(); }`:
      // E0382, value moved into closure here, in previous iteration of loop)
      code: imports + `const v = [1];\nfor (let i = 0; i < 2; i++) {\n  const start = () => spawn(move(v), (v) => v.length);\n  start();\n}`,
      errors: [{ messageId: 'movedIntoClosureInLoop', line: 8, column: 34, endColumn: 35, data: { ...vec, line: '8' } }],
    },
    {
      // ...also a scope's callback in a loop, never called by name
      code: imports + `const v = [1];\nwhile (Math.random() > 0.5) scope((s) => { s.spawn(move(v), (v) => v.length); });`,
      errors: [{ messageId: 'movedIntoClosureInLoop', line: 7, column: 57, data: { ...vec, line: '7' } }],
    },
    {
      // a move nested in a scope inside a callback that runs once per element
      code: imports + `const counter = new Arc(new Mutex(0));\n[1, 2].forEach(() => scope((s) => { s.spawn(move(counter), (c) => 1); }));`,
      errors: [{ messageId: 'movedInCallback', line: 7, column: 50, data: { name: 'counter', line: '7', type: 'Arc<Mutex<number>>', callee: 'forEach' } }],
    },
    {
      // a view of a moved typed array's memory, through \`.buffer\` (Rust's \`let view = &v[1..]; thread::spawn(move || v.len()); view[0]\`: E0505)
      code: imports + `const bytes = new Uint8Array(8);\nconst memory = bytes.buffer;\nspawn(move(bytes), (b) => b[0]);\nconsole.log(memory.byteLength);`,
      errors: [{ messageId: 'viewAfterMove', line: 9, column: 13, data: { name: 'bytes', line: '8', type: 'Uint8Array<ArrayBuffer>', view: 'memory' } }],
    },
    {
      // ...through \`subarray\`, and a view of that view
      code: imports + `const bytes = new Uint8Array(8);\nconst tail = bytes.subarray(2);\nconst words = new DataView(tail.buffer, 0, 4);\nspawn(move(bytes), (b) => b[0]);\ntail[0] = 1;\nwords.getUint8(0);`,
      errors: [
        { messageId: 'viewAfterMove', line: 10, column: 1, data: { name: 'bytes', line: '9', type: 'Uint8Array<ArrayBuffer>', view: 'tail' } },
        { messageId: 'viewAfterMove', line: 11, column: 1, data: { name: 'bytes', line: '9', type: 'Uint8Array<ArrayBuffer>', view: 'words' } },
      ],
    },
    {
      // an object's method that moves a variable, called twice (Rust's closure called twice: E0382)
      code: imports + `const v = [1];\nconst api = { start() { spawn(move(v), (v) => v.length); }, other: 1 };\napi.start();\napi.start();`,
      errors: [{ messageId: 'closureCalledTwice', line: 9, column: 1, endColumn: 4, data: { name: 'v', line: '7', closure: 'api.start' } }],
    },
    {
      // an object's method made before the move that reads the value, called after it (E0505)
      code: imports + `const v = [1];\nconst api = { show: () => v.length };\nspawn(move(v), (v) => v.length);\napi.show();`,
      errors: [{ messageId: 'calledAfterMove', line: 9, column: 1, data: { ...vec, line: '8', closure: 'api.show' } }],
    },
    {
      // a re-assignment computed from the moved value reads it first (E0382)
      code: imports + `let v = [1];\nspawn(move(v), (v) => v.length);\nv = v.concat([2]);`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 5, data: { ...vec, line: '7' } }],
    },
    {
      // a value moved while scoped threads borrow it (Rust's \`thread::scope(|s| { s.spawn(|| v.len()); thread::spawn(move || v.len()); })\`:
      // E0505, cannot move out of \`v\` because it is borrowed), into another thread...
      code: imports + `const v = [1];\nscope((s) => {\n  s.spawn(borrow(v), (v) => v.length);\n  spawn(move(v), (v) => v.length);\n});`,
      errors: [{ messageId: 'movedWhileBorrowed', line: 9, column: 14, endColumn: 15, data: { name: 'v', borrowLine: '8' } }],
    },
    {
      // ...into a thread of the same scope, after the borrowing thread was joined (the borrow lasts until the scope ends),
      // or in a closure made in the scope (scopeAsync too)
      code: imports + `import { scopeAsync } from '@sendsync/runtime';\nconst v = [1];\nconst w = [2];\nvoid scopeAsync(async (s) => {\n  s.spawn(borrow(v, w), (v, w) => v.length).join();\n  s.spawn(move(v), (v) => v.length);\n  [0].forEach(() => spawn(move(w), (w) => w.length));\n});`,
      errors: [
        { messageId: 'movedWhileBorrowed', line: 11, column: 16, data: { name: 'v', borrowLine: '10' } },
        { messageId: 'movedInCallback', line: 12, column: 32, data: { name: 'w', line: '12', type: 'number[]', callee: 'forEach' } },
      ],
    },
    {
      // a borrow in a loop of the scope, the move earlier in the same iteration: moved again after the borrow of the previous one
      code: imports + `const v = [1];\nscope((s) => {\n  for (let i = 0; i < 2; i++) {\n    spawn(move(v), (v) => v.length);\n    s.spawn(borrow(v), (v) => v.length);\n  }\n});`,
      errors: [
        { messageId: 'movedInLoop', line: 9, column: 16, data: { ...vec, line: '9' } },
        { messageId: 'useAfterMove', line: 10, column: 20, data: { ...vec, line: '9' } },
      ],
    },
  ],
});
