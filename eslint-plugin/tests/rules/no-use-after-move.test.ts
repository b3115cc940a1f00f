import { Vec } from '@sendsync/runtime/collections';
import { Mutex } from '@sendsync/runtime/sync';
import { describe, expect, it } from 'vitest';

import rule from '../../src/rules/no-use-after-move.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const vec = { name: 'v', line: '6', type: 'number[]', into: 'into a thread' };

/** More of the runtime (lines 6-9), for the moving calls beyond `move(...)`: their cases start on line 10. */
const more =
  imports +
  `import { channel, syncChannel, type Sender } from '@sendsync/runtime/sync/mpsc';
import { OnceLock } from '@sendsync/runtime/sync';
import { OnceCell } from '@sendsync/runtime/cell';
import { Vec, VecDeque, HashMap, HashSet } from '@sendsync/runtime/collections';
`;

/** The message data of a use of `name` (a `number[]` unless given) moved on line 10 `into` a call. */
const moved = (name: string, into: string, type = 'number[]', line = '10'): Record<string, string> => ({ name, into, type, line });

/** The errors of a `console.log(a, b, ...)` of one-letter variables on `line`: each `[name, into, type, line moved on]`. */
const logged = (
  line: number,
  uses: readonly (readonly [name: string, into: string, type: string, movedOn: string])[],
): { messageId: 'useAfterMove'; line: number; column: number; data: Record<string, string> }[] =>
  uses.map(([name, into, type, movedOn], i) => ({ messageId: 'useAfterMove', line, column: 13 + 3 * i, data: moved(name, into, type, movedOn) }));

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
    // a `Thread` is `Copy` (the marker's brand: Rust's is `Clone`, an `Arc` inside): the original stays usable
    imports + `const t = current();\nspawn(move(t), (t) => 1);\nt.unpark();`,
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
    imports + `const t = current();\nscope((s) => { s.spawn(borrow(t), (t) => 1); spawn(move(t), (t) => 1); });`,
    // a look-alike move
    `function move<T>(value: T): T { return value; } const v = [1]; move(v); console.log(v);`,
    // a clone is moved, not the original (Rust's `tx.send(a.clone())`)
    more + `const [tx] = channel<Arc<number[]>>();\nconst a = new Arc([1]);\ntx.send(a.clone());\nconsole.log(a.value);`,
    // Copy values: primitives
    more + `const [tx] = channel<number>();\nconst n = 1;\ntx.send(n);\nconsole.log(n);`,
    more + `const cell = new Cell(0); const n = 2;\ncell.set(n); cell.replace(n);\nconsole.log(n);`,
    // used before the move
    more + `const [tx] = channel<{ x: number }>();\nconst job = { x: 0 };\njob.x = 1;\ntx.send(job);`,
    // a send in one branch, a use in the other
    more + `const [tx] = channel<number[]>(); declare const c: boolean;\nconst v = [1];\nif (c) tx.send(v); else console.log(v);`,
    // a fresh binding in every iteration (for...of, and a const in the body)
    more + `const [tx] = channel<number[]>();\nfor (const job of [[1], [2]]) tx.send(job);\nfor (let i = 0; i < 2; i++) { const job = [i]; tx.send(job); }`,
    // re-assigned after the move: a new value
    more + `const [tx] = channel<number[]>();\nlet v = [1];\nfor (let i = 0; i < 2; i++) { tx.send(v); v = [i]; }\nconsole.log(v);`,
    // calls that do not take ownership: a Condvar's wait gives back the same guard, downgrade and ptrEq borrow
    more + `const pair = new Mutex(false); const ready = new Condvar();\nusing guard = pair.lock();\nready.wait(guard);\nguard.value = true;\nconst a = new Arc([1]); const weak = Arc.downgrade(a); Arc.ptrEq(a, a);\nconsole.log(a.value, weak);`,
    // a store of a Copy value through a guard, and a plain object's own \`value\` field
    more + `const lock = new Mutex([0]); const v = [1];\nconst box = { value: [0] };\nbox.value = v;\n{ using guard = lock.lock(); guard.value = [...v]; }\nconsole.log(v);`,
    // a collection made from an iterable copies its elements (Rust's \`Vec::from(&[T])\`), and an index is Copy
    more + `const items = [1, 2];\nconst list = Vec.from(items);\nconst i = 0; list.set(i, 3);\nconsole.log(items, i);`,
    // a send in a \`try\`: the path forks at the call's start, before its argument is read
    more + `const [tx] = channel<{ v: number[] }>(); const v = [1];\ntry { tx.send({ v }); } catch { /* nothing */ }`,
    // methods that leave their receiver usable: the runtime serves a lock, a OnceLock or a cell after intoInner()
    // (a lock is a handle to shared memory, Copy here), and a clone() or a join() of another handle moves nothing of this one
    more + `const m = new Mutex([1]); const once = new OnceLock<number[]>(); const cell = new Cell([1]); const ref = new RefCell([1]);\nm.intoInner(); once.intoInner(); cell.intoInner(); ref.intoInner();\nm.lock(); console.log(once.get(), cell.get(), ref.borrow());`,
    more + `const a = new Arc([1]);\nconst b = a.clone();\nb.drop();\nconsole.log(a.value);\nconst h = spawn(() => 1);\nconst r = h.join();\nconsole.log(r);`,
    // what the runtime still serves after a drop or a join (Rust rejects it, the runtime does not: not reported): a second drop,
    // counts, a joined handle's thread() and isFinished(), a consumed field's object
    more + `const a = new Arc([1]); const w = Arc.downgrade(a); const [tx] = channel<number>(); const h = spawn(() => 1);\na.drop(); a.drop(); w.drop(); tx.drop(); tx.drop(); h.join();\nconsole.log(a.strongCount(), w.strongCount(), h.thread().id(), h.isFinished());\nconst pool = { worker: spawn(() => 1) };\npool.worker.join(); console.log(pool, pool.worker.isFinished());`,
    // dropped in one branch, used in the other; dropped after the last use; a fresh handle each iteration
    more + `const [tx, rx] = channel<number>(); declare const c: boolean;\nif (c) tx.drop(); else tx.send(1);\nrx.recv();\nrx.drop();\nfor (const h of [spawn(() => 1), spawn(() => 2)]) h.join();`,
    // re-assigned after the join: a new handle
    more + `let h = spawn(() => 1);\nh.join();\nh = spawn(() => 2);\nh.join();`,
    // look-alike: an app's own class with a drop() method
    more + `class Pool { drop(): void {} size = 1; }\nconst p = new Pool();\np.drop();\nconsole.log(p.size);`,
    // fields (Rust's partial moves): another field stays usable, a field given a new value is usable again, a Copy field is copied
    more + `const [tx] = channel<number[]>(); const req = { id: 1, payload: [1], other: [2] };\ntx.send(req.payload);\nconsole.log(req.id, req.other);\nreq.payload = [3];\nconsole.log(req.payload, req);\ntx.send(req.other); req.other = [4]; tx.send(req.other);`,
    more + `const [tx] = channel<number>(); const req = { id: 1 };\ntx.send(req.id);\nconsole.log(req.id, req);`,
    // a field of \`this\` in one method, other fields and methods of \`this\` after it, and the same field in another method
    more + `const [tx] = channel<number[]>();\nclass Job { items = [1]; id = 1; run(): number { tx.send(this.items); this.log(); return this.id; } log(): void { console.log(this.items); } }`,
    // an accessor is no field: \`guard.value\` reads the lock each time (and a computed key is not followed)
    more + `const [tx] = channel<number[]>(); const m = new Mutex([1]); const req = { payload: [1] };\n{ using g = m.lock(); tx.send(g.value); console.log(g.value); }\ntx.send(req['payload']);`,
    // the app's own functions: one that only reads its parameter, one that moves a copy of it or assigns it first, a recursive one,
    // and a Copy argument to one that moves its parameter
    more + `import { measure, post } from './moving-helpers.js';\nconst [tx] = channel<number[]>(); const v = [1];\nfunction copyOut(job: number[]): void { tx.send([...job]); }\nfunction fresh(job: number[]): void { job = [...job]; tx.send(job); }\nfunction again(job: number[], n: number): void { if (n > 0) again(job, n - 1); }\nmeasure(v); copyOut(v); fresh(v); again(v, 2);\nconst m = 0; const mtx = channel<number>()[0];\nconst share = (lock: number): void => mtx.send(lock);\nshare(m);\nconsole.log(v, m);\npost(tx, v);`,
    // a function held in a \`let\` that is also given one that does not move: a call may run either, so nothing is certain
    more + `const [tx] = channel<number[]>(); const v = [1];\nlet post = (job: number[]): void => tx.send(job);\npost(v);\nconsole.log(v);\npost = () => undefined;`,
    // look-alikes: a method named \`send\` and a class named \`Mutex\` of the app's own
    more + `class Link { send(_: number[]): void {} }\nclass Lock<T> { constructor(readonly value: T) {} }\nconst v = [1];\nnew Link().send(v); new Lock(v);\nconsole.log(v);`,
    // a function that moves a field of its parameter and gives it a new value, and one that only reads it: the caller's object is whole
    more + `const [tx] = channel<number[]>(); const req = { id: 1, payload: [1] };\nfunction refill(r: { payload: number[] }): void { tx.send(r.payload); r.payload = []; }\nfunction peek(r: { id: number; payload: number[] }): number { return r.payload.length + r.id; }\nrefill(req); peek(req);\nconsole.log(req.payload, req);`,
    // a function declaration (hoisted) that refers to a moved value, called before the move and not used after it; a \`let\` closure
    // given another closure after the move; a closure that reads only what the runtime serves of a joined handle
    more + `const [tx] = channel<number>(); const h = spawn(() => 1); const v = [1];\nnotify();\nlet show = (): number => v.length;\nspawn(move(tx, v), (tx, v) => v.length);\nfunction notify(): void { tx.send(1); }\nshow = () => 0;\nshow();\nconst id = () => h.thread().id();\nh.join();\nid();`,
    // a function passed to an array's method that only reads its parameter, and an object's own \`forEach\` (no array)
    more + `import { measure, post } from './moving-helpers.js';\nconst a = [1]; const items = [[2]];\n[a].forEach(measure); items.map(measure);\nconst bag = { forEach(_: (job: number[]) => void): void {} };\nconst [tx] = channel<number[]>();\nbag.forEach((job) => post(tx, [...job]));\nconsole.log(a, items);`,
    // a consumed handle handed to a function that uses only what the runtime still serves of it
    more + `const a = new Arc([1]); const h = spawn(() => 1);\nfunction count(x: Arc<number[]>): number { return x.strongCount(); }\nconst ended = (j: typeof h): boolean => j.isFinished();\na.drop(); h.join();\ncount(a); ended(h);`,
    // functions held in a place that may hold one that does not move: an object's property given another, a field a subclass declares
    // again, an object of the same type as the one that holds the moving function, a \`let\` given a parameter (any function)
    more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2]; const c = [3]; const d = [4];\nconst handlers = { post: (job: number[]): void => tx.send(job) };\nhandlers.post = (job) => console.log(job);\nclass Base { run = (job: number[]): void => tx.send(job); }\nclass Quiet extends Base { override run = (job: number[]): void => console.log(job); }\nconst pick = (base: Base): Base => base;\nconst other: typeof handlers = { post: (job) => console.log(job) };\nhandlers.post(a); pick(new Quiet()).run(b); other.post(c);\nfunction give(f: (job: number[]) => void): void { let g = f; g(d); }\nconsole.log(a, b, c, d);`,
    // functions given to the app's own higher-order functions that do not call them, call them once (or once on each path), or give them a copy
    more + `const [tx] = channel<Arc<number[]>>(); const jobs = channel<number[]>()[0]; declare const ok: boolean;\nconst a = new Arc([1]); const b = new Arc([2]); const c = new Arc([3]); const d = [4]; const e = [5];\nfunction once(f: () => void): void { f(); }\nfunction either(f: () => void): void { if (ok) f(); else f(); }\nfunction keep(f: () => void): () => void { return f; }\nfunction post(job: number[]): void { jobs.send(job); }\nfunction register(fns: ((job: number[]) => void)[], job: number[]): number { return fns.length + job.length; }\nfunction attempt(f: (job: number[]) => void, job: number[]): void { f([...job]); }\nonce(() => tx.send(a)); either(() => tx.send(b)); keep(() => tx.send(c));\nregister([post], d); attempt(post, e);\nconsole.log(d, e);`,
    // closures made before a field's move: one called in the other branch, one called after the field got a new value, one that
    // reads another field; a consumed field's object handed to a function that reads only its other fields
    more + `const [tx] = channel<number[]>(); declare const ok: boolean;\nconst req = { id: 1, reply: [1] }; const job = { id: 2, reply: [2] };\nconst show = () => console.log(req.reply); const id = () => job.id; const peek = () => console.log(job.reply);\nif (ok) tx.send(req.reply);\nelse show();\ntx.send(job.reply); job.reply = [3];\npeek(); id();\nconst msg = { id: 1, reply: tx };\nfunction name(m: typeof msg): number { return m.id; }\nmsg.reply.drop();\nname(msg);`,
  ],
  invalid: [
    {
      // a function that moves its parameter in a closure it makes (Rust's \`move\` closure takes it: the function takes it by value),
      // and a field of \`this\` moved in a class field's arrow function
      code: more + `const [tx] = channel<number[]>(); const v = [1];\nfunction later(job: number[]): () => void { return () => tx.send(job); }\nlater(v);\nconsole.log(v);\nclass Box { items = [1]; flush = (): void => { tx.send(this.items); console.log(this.items); }; }`,
      errors: [
        { messageId: 'useAfterMove', line: 13, column: 13, data: moved('v', 'by `later(v)`, which moves it into `tx.send(...)`', 'number[]', '12') },
        { messageId: 'useAfterMove', line: 14, column: 81, data: moved('this.items', 'into `tx.send(...)`', 'number[]', '14') },
      ],
    },
    {
      // the app's own functions that move a parameter, imported or declared here (a function, an arrow, a method, through another
      // such function, conditionally): Rust's \`fn post(job: Job)\` takes \`job\` by value (E0382, "value moved here" at the call)
      code: more + `import { post, runLater } from './moving-helpers.js';\nconst [tx] = channel<number[]>(); const a = [1]; const b = [2]; const c = [3]; const d = [4]; const e = [5];\nclass Queue { submit(job: number[], now: boolean): void { if (now) post(tx, job); } }\nconst relay = (job: number[]) => new Queue().submit(job, true);\npost(tx, a); runLater(b); new Queue().submit(c, false); relay(d); post(tx, e);\nconsole.log(a, b, c, d);\nconsole.log(e);`,
      errors: [
        ...logged(15, [
          ['a', 'by `post(tx, a)`, which moves it into `tx.send(...)`', 'number[]', '14'],
          ['b', 'by `runLater(b)`, which moves it into a thread', 'number[]', '14'],
          ['c', 'by `new Queue().submit(c, false)`, which moves it by `post(...)`, which moves it into `tx.send(...)`', 'number[]', '14'],
          ['d', 'by `relay(d)`, which moves it by `new Queue().submit(...)`, which moves it by `post(...)`, which moves it into `tx.send(...)`', 'number[]', '14'],
        ]),
        { messageId: 'useAfterMove', line: 16, column: 13, data: moved('e', 'by `post(tx, e)`, which moves it into `tx.send(...)`', 'number[]', '14') },
      ],
    },
    {
      // a function that consumes the handle it is given (only what the runtime then refuses is reported), and one given a field
      code: more + `const finish = (h: { isFinished(): boolean }) => h.isFinished();\nfunction end(h: ReturnType<typeof spawn<number>>): number { return h.join(); }\nconst [tx] = channel<number[]>(); const req = { payload: [1] };\nconst handle = spawn(() => 1);\nend(handle); finish(handle); handle.join();\nfunction deliver(payload: number[]): void { tx.send(payload); }\ndeliver(req.payload);\nconsole.log(req.payload);`,
      errors: [
        {
          messageId: 'consumedReceiver',
          line: 14,
          column: 30,
          data: { use: 'use', fix: 'use it before that call', name: 'handle', call: 'end(handle)', method: 'JoinHandle#join', type: 'JoinHandle<number>', line: '14', into: 'by `end(handle)`, which moves it by `h.join()`' },
        },
        { messageId: 'useAfterMove', line: 17, column: 13, data: moved('req.payload', 'by `deliver(req.payload)`, which moves it into `tx.send(...)`', 'number[]', '16') },
      ],
    },
    {
      // a moved field, and the object holding it read whole (rustc: "use of moved value: \`req.payload\`", "borrow of partially moved value: \`req\`")
      code: more + `const [tx] = channel<number[]>(); const req = { id: 1, payload: [1] };\ntx.send(req.payload);\nconsole.log(req.payload.length, req);`,
      errors: [
        { messageId: 'useAfterMove', line: 12, column: 13, data: moved('req.payload', 'into `tx.send(...)`', 'number[]', '11') },
        { messageId: 'partiallyMoved', line: 12, column: 33, data: { ...moved('req.payload', 'into `tx.send(...)`', 'number[]', '11'), whole: 'req' } },
      ],
    },
    {
      // a field of \`this\` moved in a method
      code: more + `const [tx] = channel<number[]>();\nclass Job { items = [1]; id = 1; run(): number { tx.send(this.items); this.items.push(1); return this.id; } }`,
      errors: [{ messageId: 'useAfterMove', line: 11, column: 71, data: moved('this.items', 'into `tx.send(...)`', 'number[]', '11') }],
    },
    {
      // a field moved in a loop
      code: more + `const [tx] = channel<number[]>(); const req = { payload: [1] };\nfor (let i = 0; i < 2; i++) tx.send(req.payload);`,
      errors: [{ messageId: 'movedInLoop', line: 11, column: 37, data: moved('req.payload', 'into `tx.send(...)`', 'number[]', '11') }],
    },
    {
      // a field consumed as a method's receiver
      code: more + `const pool = { worker: spawn(() => 1) };\npool.worker.join();\npool.worker.join(); console.log(pool);`,
      errors: [
        { messageId: 'consumedReceiver', line: 12, column: 1, data: { use: 'use', fix: 'use it before that call', name: 'pool.worker', call: 'pool.worker.join()', method: 'JoinHandle#join', type: 'JoinHandle<number>', line: '11', into: 'by `pool.worker.join()`' } },
      ],
    },
    {
      // methods that take ownership of their receiver (Rust's \`self\`): a dropped Arc, Weak, Rc, Sender, Receiver; a joined handle
      // (rustc: "borrow of moved value: \`a\`", "\`a\` moved due to this method call"; the runtime throws UseAfterDropError, JoinedError)
      code: more + `const a = new Arc([1]); const w = Arc.downgrade(a); const r = new Rc([2]); const [tx, rx] = channel<number>();\na.drop(); w.drop(); r.drop(); tx.drop(); rx.drop();\nconsole.log(a.value, w.upgrade(), r.value); tx.send(1); rx.recv();`,
      errors: [
        ['a', 'a.drop()', 'Arc#drop', 'Arc<number[]>', 13],
        ['w', 'w.drop()', 'Weak#drop', 'Weak<number[]>', 22],
        ['r', 'r.drop()', 'Rc#drop', 'Rc<number[]>', 35],
        ['tx', 'tx.drop()', 'SenderHandle#drop', 'Sender<number>', 45],
        ['rx', 'rx.drop()', 'Receiver#drop', 'Receiver<number>', 57],
      ].map(([name, call, method, type, column]) => ({
        messageId: 'consumedReceiver' as const,
        line: 12,
        column: column as number,
        data: { use: 'borrow', fix: name === 'rx' ? 'use it before that call' : 'use it before that call, or call it on a clone', name: name as string, call: call as string, method: method as string, type: type as string, line: '11', into: `by \`${call as string}\`` },
      })),
    },
    {
      // a joined handle joined again, or moved (rustc: "use of moved value: \`h\`"); joinAsync consumes it too
      code: more + `const h = spawn(() => 1); const g = spawn(() => 2);\nh.join(); void g.joinAsync();\nh.join(); spawn(move(g), (g) => 1);`,
      errors: [
        { messageId: 'consumedReceiver', line: 12, column: 1, data: { use: 'use', fix: 'use it before that call', name: 'h', call: 'h.join()', method: 'JoinHandle#join', type: 'JoinHandle<number>', line: '11', into: 'by `h.join()`' } },
        { messageId: 'consumedReceiver', line: 12, column: 22, data: { use: 'use', fix: 'use it before that call', name: 'g', call: 'g.joinAsync()', method: 'JoinHandle#joinAsync', type: 'JoinHandle<number>', line: '11', into: 'by `g.joinAsync()`' } },
      ],
    },
    {
      // consumed in a loop (the previous iteration's), and a closure that consumes a handle of its surroundings
      code: more + `const a = spawn(() => 1); const b = new Arc([2]);\nfor (let i = 0; i < 2; i++) a.join();\nconst finish = () => b.drop();\nfinish();\nconsole.log(b.value);`,
      errors: [
        { messageId: 'movedInLoop', line: 11, column: 29, data: { name: 'a', into: 'by `a.join()`', type: 'JoinHandle<number>', line: '11' } },
        { messageId: 'movedIntoClosure', line: 14, column: 13, data: { name: 'b', into: 'by `b.drop()`', type: 'Arc<number[]>', line: '12' } },
      ],
    },
    // the moving calls of the runtime beyond \`move(...)\` (Rust's E0382 after \`tx.send(v)\`, \`Mutex::new(v)\`, ...)
    {
      // sent: the sender's copy changes nothing the receiver sees
      code: more + `const [tx] = channel<{ x: number }>();\nconst job = { x: 0 };\ntx.send(job);\njob.x = 1;`,
      errors: [{ messageId: 'useAfterMove', line: 13, column: 1, data: moved('job', 'into `tx.send(...)`', '{…}', '12') }],
    },
    {
      // an Arc sent through a channel is the receiver's (at run time its sender's handle is marked moved)
      code: more + `const [tx] = channel<Arc<number[]>>();\nconst a = new Arc([1]);\ntx.send(a);\nconsole.log(a.value);`,
      errors: [{ messageId: 'useAfterMove', line: 13, column: 13, data: moved('a', 'into `tx.send(...)`', 'Arc<number[]>', '12') }],
    },
    {
      // a SyncSender's send, trySend and sendAsync; a reply channel inside the message (an object literal moves its variables)
      code: more + `const [tx] = syncChannel<{ n: number[]; reply: Sender<number> }>(1);\nconst v = [1]; const w = [2]; const u = [3]; const [reply] = channel<number>();\ntx.send({ n: v, reply }); tx.trySend({ n: w, reply }); void tx.sendAsync({ n: u, reply });\nconsole.log(v, w, u);`,
      errors: [
        { messageId: 'useAfterMove', line: 12, column: 46, data: moved('reply', 'into `tx.send(...)`', 'Sender<number>', '12') },
        { messageId: 'useAfterMove', line: 12, column: 82, data: moved('reply', 'into `tx.send(...)`', 'Sender<number>', '12') },
        ...logged(13, [
          ['v', 'into `tx.send(...)`', 'number[]', '12'],
          ['w', 'into `tx.trySend(...)`', 'number[]', '12'],
          ['u', 'into `tx.sendAsync(...)`', 'number[]', '12'],
        ]),
      ],
    },
    {
      // constructors that take ownership: a lock holds a copy, the sender's array is no longer it
      code: more + `const a = [1]; const b = [2]; const c = [3]; const d = [4]; const e = [5]; const f = [6]; const g = [7];\nnew Mutex(a); new RwLock(b); new Arc(c); new Rc(d); new Cell(e); new RefCell(f); new OnceCell(g);\nconsole.log(a, b, c, d, e, f, g);`,
      errors: logged(
        12,
        ['Mutex', 'RwLock', 'Arc', 'Rc', 'Cell', 'RefCell', 'OnceCell'].map((name, i) => ['abcdefg'[i], `into \`new ${name}(...)\``, 'number[]', '11'] as const),
      ),
    },
    {
      // setters and replacements of cells and once-cells; Rc.new; the static methods that consume their handle
      code: more + `const v = [1]; const w = [2]; const x = [3]; const y = [4];\nconst lock = new OnceLock<number[]>(); lock.set(v);\nconst cell = new Cell([0]); cell.set(w);\nconst ref = new RefCell([0]); ref.replace(x);\nconst rc = Rc.new(y);\nconst a = new Arc([5]); Arc.intoInner(a);\nconst r = new Rc([6]); Rc.tryUnwrap(r);\nconsole.log(v, w, x, y, a, r);`,
      errors: logged(17, [
        ['v', 'into `lock.set(...)`', 'number[]', '11'],
        ['w', 'into `cell.set(...)`', 'number[]', '12'],
        ['x', 'into `ref.replace(...)`', 'number[]', '13'],
        ['y', 'into `Rc.new(...)`', 'number[]', '14'],
        ['a', 'into `Arc.intoInner(...)`', 'Arc<number[]>', '15'],
        ['r', 'into `Rc.tryUnwrap(...)`', 'Rc<number[]>', '16'],
      ]),
    },
    {
      // the shared collections: push, set, pushBack, pushFront, a map's key and value, a set's key
      code: more + `const a = [1]; const b = [2]; const c = [3]; const d = [4]; const e = [5]; const f = { k: 1 }; const g = { k: 2 };\nnew Vec<number[]>().push(a); new Vec<number[]>().set(0, b);\nnew VecDeque<number[]>().pushBack(c); new VecDeque<number[]>().pushFront(d);\nnew HashMap<{ k: number }, number[]>().set(f, e); new HashSet<{ k: number }>().add(g);\nconsole.log(a, b, c, d, e, f, g);`,
      errors: logged(14, [
        ['a', 'into `push(...)`', 'number[]', '11'],
        ['b', 'into `set(...)`', 'number[]', '11'],
        ['c', 'into `pushBack(...)`', 'number[]', '12'],
        ['d', 'into `pushFront(...)`', 'number[]', '12'],
        ['e', 'into `set(...)`', 'number[]', '13'],
        ['f', 'into `set(...)`', '{…}', '13'],
        ['g', 'into `add(...)`', '{…}', '13'],
      ]),
    },
    {
      // a store through a guard moves the value into the lock (MutexGuard, RwLockWriteGuard, RefMut)
      code: more + `const v = [1]; const w = [2]; const x = [3];\nconst m = new Mutex([0]); const r = new RwLock([0]); const c = new RefCell([0]);\n{ using g = m.lock(); g.value = v; }\n{ using g = r.write(); g.value = w; }\n{ using g = c.borrowMut(); g.value = x; }\nv.push(1); w.push(1); x.push(1);`,
      errors: [
        { messageId: 'useAfterMove', line: 15, column: 1, data: moved('v', 'into `g.value`', 'number[]', '12') },
        { messageId: 'useAfterMove', line: 15, column: 12, data: moved('w', 'into `g.value`', 'number[]', '13') },
        { messageId: 'useAfterMove', line: 15, column: 23, data: moved('x', 'into `g.value`', 'number[]', '14') },
      ],
    },
    {
      // ...and through an \`Rc\`'s unique access (named by its class when the target is no plain chain)
      code: more + `const r = new Rc([0]); const y = [4];\nRc.getMut(r)!.value = y;\ny.push(1);`,
      errors: [{ messageId: 'useAfterMove', line: 12, column: 1, data: moved('y', 'into `RcMut#value`', 'number[]', '11') }],
    },
    {
      // aliased, namespace and re-exported (by the app's own module) imports
      code: more + `import { Mutex as Guarded } from '@sendsync/runtime/sync';\nimport * as mpsc from '@sendsync/runtime/sync/mpsc';\nimport { Lock, makeChannel } from './reexports.js';\nconst a = [1]; const b = [2]; const c = [3]; const d = [4];\nnew Guarded(a); mpsc.channel<number[]>()[0].send(b); new Lock(c); makeChannel<number[]>()[0].send(d);\nconsole.log(a, b, c, d);`,
      errors: logged(15, [
        ['a', 'into `new Guarded(...)`', 'number[]', '14'],
        ['b', 'into `send(...)`', 'number[]', '14'],
        ['c', 'into `new Lock(...)`', 'number[]', '14'],
        ['d', 'into `send(...)`', 'number[]', '14'],
      ]),
    },
    {
      // a send that threw moved the value all the same (Rust's \`if let Err(e) = tx.send(v) { v.len(); }\`: E0382): the value is the error's, \`error.value\`
      code: more + `const [tx] = channel<number[]>(); const v = [1];\ntry { tx.send(v); } catch { console.log(v); }`,
      errors: [{ messageId: 'useAfterMove', line: 11, column: 41, data: moved('v', 'into `tx.send(...)`', 'number[]', '11') }],
    },
    {
      // a send in a loop moves the value of the previous iteration; a send in one branch makes the joined path "maybe moved"
      code: more + `const [tx] = channel<number[]>(); declare const c: boolean;\nconst v = [1]; const w = [2];\nfor (let i = 0; i < 2; i++) tx.send(v);\nif (c) tx.send(w);\nconsole.log(w);`,
      errors: [
        { messageId: 'movedInLoop', line: 12, column: 37, data: moved('v', 'into `tx.send(...)`', 'number[]', '12') },
        { messageId: 'useAfterMove', line: 14, column: 13, data: moved('w', 'into `tx.send(...)`', 'number[]', '13') },
      ],
    },
    {
      // in a callback that runs once per element, and in a closure, which takes the value when it is made
      code: more + `const [tx] = channel<number[]>();\nconst v = [1]; const w = [2];\n[1, 2].forEach(() => tx.send(v));\nconst later = () => tx.send(w);\nlater();\nconsole.log(w);`,
      errors: [
        { messageId: 'movedInCallback', line: 12, column: 30, data: { ...moved('v', 'into `tx.send(...)`', 'number[]', '12'), callee: 'forEach' } },
        { messageId: 'movedIntoClosure', line: 15, column: 13, data: moved('w', 'into `tx.send(...)`', 'number[]', '13') },
      ],
    },
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
      errors: [{ messageId: 'movedInCallback', line: 7, column: 32, data: { into: 'into a thread', name: 'counter', line: '7', type: 'Arc<Mutex<number>>', callee: 'map' } }],
    },
    {
      // a lock moves as in Rust (it is no `Copy`): a second move is E0382 (share it through an `Arc`, or `borrow` it in a scope)
      code: imports + `const m = new Mutex(0);\nspawn(move(m), (m) => 1);\nspawn(move(m), (m) => 1);`,
      errors: [{ messageId: 'lockAfterMove', line: 8, column: 12, data: { into: 'into a thread', name: 'm', line: '7', type: 'Mutex<number>' } }],
    },
    {
      // a collection's memory moves with it: a use after the move is E0382, with the runtime's fix (a clone is a copy; share it through a lock in an `Arc`)
      code: more + `const v = Vec.from([1]);\nspawn(move(v), (v) => 1);\nv.push(2);`,
      errors: [{ messageId: 'collectionAfterMove', line: 12, column: 1, data: { into: 'into a thread', name: 'v', line: '11', type: 'Vec<number>' } }],
    },
    {
      // a closure created after the move uses the moved value
      code: imports + `const m = new Arc(new Mutex(0));\nconst h = spawn(move(m), (m) => 1);\nconst later = () => m.value;`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 21, data: { into: 'into a thread', name: 'm', line: '7', type: 'Arc<Mutex<number>>' } }],
    },
    {
      // a view over an ordinary buffer is a copy (or a transfer): not `Copy`
      code: imports + `const bytes = new Int32Array(8);\nspawn(move(bytes), (b) => b[0]);\nbytes[0] = 1;`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 1, data: { into: 'into a thread', name: 'bytes', line: '7', type: 'Int32Array' } }],
    },
    {
      // a variable inside an object or array literal given to move(...) moves with it (Rust's \`move || (v,)\`)
      code: imports + `const v = [1];\nspawn(move({ nested: [v] }), (o) => o.nested.length);\nconsole.log(v);`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 13, data: { ...vec, line: '7' } }],
    },
    {
      // moved with move(...) before the spawn, then moved again
      code: imports + `const v = new Map<string, number>();\nconst captures = move(v);\nspawn(move(v), (v) => v.size);`,
      errors: [{ messageId: 'useAfterMove', line: 8, column: 12, data: { into: 'into a thread', name: 'v', line: '7', type: 'Map<string, number>' } }],
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
      errors: [{ messageId: 'closureCalledTwice', line: 9, column: 1, data: { into: 'into a thread', name: 'v', line: '7', closure: 'start' } }],
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
      errors: [{ messageId: 'calledAfterMove', line: 9, column: 1, data: { ...vec, line: '8', closure: 'show', made: '7', through: '', used: 'called' } }],
    },
    {
      // a typed-array view taken before its buffer moved (transferred: detached)
      // (Rust's `let view = &buf[..]; thread::spawn(move || drop(buf)); view[0]`: E0505)
      code: imports + `const buffer = new ArrayBuffer(8);\nconst view = new Uint8Array(buffer);\nspawn(move(buffer), (b) => b.byteLength);\nview[0] = 1;`,
      errors: [{ messageId: 'viewAfterMove', line: 9, column: 1, data: { into: 'into a thread', name: 'buffer', line: '8', type: 'ArrayBuffer', view: 'view' } }],
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
      errors: [{ messageId: 'movedInCallback', line: 7, column: 50, data: { into: 'into a thread', name: 'counter', line: '7', type: 'Arc<Mutex<number>>', callee: 'forEach' } }],
    },
    {
      // a view of a moved typed array's memory, through \`.buffer\` (Rust's \`let view = &v[1..]; thread::spawn(move || v.len()); view[0]\`: E0505)
      code: imports + `const bytes = new Uint8Array(8);\nconst memory = bytes.buffer;\nspawn(move(bytes), (b) => b[0]);\nconsole.log(memory.byteLength);`,
      errors: [{ messageId: 'viewAfterMove', line: 9, column: 13, data: { into: 'into a thread', name: 'bytes', line: '8', type: 'Uint8Array<ArrayBuffer>', view: 'memory' } }],
    },
    {
      // ...through \`subarray\`, and a view of that view
      code: imports + `const bytes = new Uint8Array(8);\nconst tail = bytes.subarray(2);\nconst words = new DataView(tail.buffer, 0, 4);\nspawn(move(bytes), (b) => b[0]);\ntail[0] = 1;\nwords.getUint8(0);`,
      errors: [
        { messageId: 'viewAfterMove', line: 10, column: 1, data: { into: 'into a thread', name: 'bytes', line: '9', type: 'Uint8Array<ArrayBuffer>', view: 'tail' } },
        { messageId: 'viewAfterMove', line: 11, column: 1, data: { into: 'into a thread', name: 'bytes', line: '9', type: 'Uint8Array<ArrayBuffer>', view: 'words' } },
      ],
    },
    {
      // an object's method that moves a variable, called twice (Rust's closure called twice: E0382)
      code: imports + `const v = [1];\nconst api = { start() { spawn(move(v), (v) => v.length); }, other: 1 };\napi.start();\napi.start();`,
      errors: [{ messageId: 'closureCalledTwice', line: 9, column: 1, endColumn: 4, data: { into: 'into a thread', name: 'v', line: '7', closure: 'api.start' } }],
    },
    {
      // an object's method made before the move that reads the value, called after it (E0505)
      code: imports + `const v = [1];\nconst api = { show: () => v.length };\nspawn(move(v), (v) => v.length);\napi.show();`,
      errors: [{ messageId: 'calledAfterMove', line: 9, column: 1, data: { ...vec, line: '8', closure: 'api.show', made: '7', through: '', used: 'called' } }],
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
      errors: [{ messageId: 'movedWhileBorrowed', line: 9, column: 14, endColumn: 15, data: { into: 'into a thread', name: 'v', borrowLine: '8' } }],
    },
    {
      // ...into a thread of the same scope, after the borrowing thread was joined (the borrow lasts until the scope ends),
      // or in a closure made in the scope (scopeAsync too)
      code: imports + `import { scopeAsync } from '@sendsync/runtime';\nconst v = [1];\nconst w = [2];\nvoid scopeAsync(async (s) => {\n  s.spawn(borrow(v, w), (v, w) => v.length).join();\n  s.spawn(move(v), (v) => v.length);\n  [0].forEach(() => spawn(move(w), (w) => w.length));\n});`,
      errors: [
        { messageId: 'movedWhileBorrowed', line: 11, column: 16, data: { into: 'into a thread', name: 'v', borrowLine: '10' } },
        { messageId: 'movedInCallback', line: 12, column: 32, data: { into: 'into a thread', name: 'w', line: '12', type: 'number[]', callee: 'forEach' } },
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
    {
      // a field moved inside a called function, directly or through another (Rust's partial move: E0382 on the field,
      // "borrow of partially moved value" on the object read whole)
      code: more + `const [tx] = channel<number[]>(); const req = { id: 1, payload: [1] }; const outer = { req: { id: 2, payload: [2] } };\nfunction post(r: { payload: number[] }): void { tx.send(r.payload); }\nconst relay = (o: { req: { payload: number[] } }) => post(o.req);\npost(req); relay(outer);\nconsole.log(req.payload, req.id, outer.req.payload, outer.req.id);\nconsole.log(req);`,
      errors: [
        { messageId: 'useAfterMove', line: 14, column: 13, data: moved('req.payload', 'by `post(req)`, which moves it into `tx.send(...)`', 'number[]', '13') },
        { messageId: 'useAfterMove', line: 14, column: 34, data: moved('outer.req.payload', 'by `relay(outer)`, which moves it by `post(...)`, which moves it into `tx.send(...)`', 'number[]', '13') },
        { messageId: 'partiallyMoved', line: 15, column: 13, data: { ...moved('req.payload', 'by `post(req)`, which moves it into `tx.send(...)`', 'number[]', '13'), whole: 'req' } },
      ],
    },
    {
      // a field consumed inside a called function: only what the runtime then refuses (a second join)
      code: more + `const pool = { worker: spawn(() => 1) };\nfunction end(p: { worker: ReturnType<typeof spawn<number>> }): void { p.worker.join(); }\nend(pool);\npool.worker.join(); console.log(pool.worker.isFinished(), pool);`,
      errors: [
        {
          messageId: 'consumedReceiver',
          line: 13,
          column: 1,
          data: { use: 'use', fix: 'use it before that call', name: 'pool.worker', call: 'end(pool)', method: 'JoinHandle#join', type: 'JoinHandle<number>', line: '12', into: 'by `end(pool)`, which moves it by `p.worker.join()`' },
        },
      ],
    },
    {
      // closures made before the move that borrow the value, used after it (rustc's E0505 at the move, "borrow later used" here):
      // called, through another closure, handed on as a value, a hoisted function declaration
      code: more + `const [tx] = channel<number>(); const v = [1];\nconst send = () => tx.send(1);\nconst both = () => send();\nfunction size(): number { return v.length; }\nspawn(move(tx, v), (tx, v) => v.length);\nboth(); setTimeout(send, 1); [1].forEach(size); size();`,
      errors: [
        { messageId: 'calledAfterMove', line: 15, column: 1, data: { ...moved('tx', 'into a thread', 'Sender<number>', '14'), closure: 'both', made: '12', through: ' through `send`', used: 'called' } },
        { messageId: 'calledAfterMove', line: 15, column: 20, data: { ...moved('tx', 'into a thread', 'Sender<number>', '14'), closure: 'send', made: '11', through: '', used: 'used' } },
        { messageId: 'calledAfterMove', line: 15, column: 42, data: { ...moved('v', 'into a thread', 'number[]', '14'), closure: 'size', made: '13', through: '', used: 'used' } },
        { messageId: 'calledAfterMove', line: 15, column: 49, data: { ...moved('v', 'into a thread', 'number[]', '14'), closure: 'size', made: '13', through: '', used: 'called' } },
      ],
    },
    {
      // a closure that reads what a drop refuses, called after the drop; one that reads what it still serves is not reported
      code: more + `const a = new Arc([1]); const peek = () => a.value; const count = () => a.strongCount();\na.drop();\npeek(); count();`,
      errors: [{ messageId: 'calledAfterMove', line: 12, column: 1, data: { ...moved('a', 'by `a.drop()`', 'Arc<number[]>', '11'), closure: 'peek', made: '10', through: '', used: 'called' } }],
    },
    {
      // a moving function passed as a value: to an array's method (each element moves; an array held in a variable moves whole,
      // as Rust's \`items.into_iter().map(post)\`), and through \`const\` aliases
      code: more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2]; const items = [[3]]; const c = [4];\nfunction post(job: number[]): void { tx.send(job); }\n[a, b].forEach(post); items.map(post);\nconst mv = post; const again = mv;\nagain(c);\nconsole.log(a, b, items, c);`,
      errors: logged(15, [
        ['a', 'by `[a, b].forEach(post)`, which passes each element to `post`, which moves it into `tx.send(...)`', 'number[]', '12'],
        ['b', 'by `[a, b].forEach(post)`, which passes each element to `post`, which moves it into `tx.send(...)`', 'number[]', '12'],
        ['items', 'by `items.map(post)`, which passes each element to `post`, which moves it into `tx.send(...)`', 'number[][]', '12'],
      ]).concat([{ messageId: 'useAfterMove', line: 15, column: 26, data: moved('c', 'by `again(c)`, which moves it into `tx.send(...)`', 'number[]', '14') }]),
    },
    {
      // consumed handles handed to functions of the app that use them as the runtime refuses: an element dropped by a function passed
      // to \`forEach\`, then read in \`show\`; a dropped receiver iterated two calls down
      code: more + `const a = new Arc([1]); const b = new Arc([2]); const [, rx] = channel<number>();\nconst drop = (x: Arc<number[]>): void => x.drop();\nfunction show(x: Arc<number[]>): void { console.log(x.value); }\nfunction drain(r: typeof rx): void { for (const n of r) console.log(n); }\nconst relay = (r: typeof rx): void => drain(r);\n[a, b].forEach(drop); rx.drop();\nshow(a); relay(rx); console.log(b.strongCount());`,
      errors: [
        {
          messageId: 'consumedPassed',
          line: 16,
          column: 6,
          data: {
            use: 'borrow', fix: 'use it before that call, or call it on a clone', name: 'a', call: '[a, b].forEach(drop)', method: 'Arc#drop', callee: 'show', what: 'x.value',
            type: 'Arc<number[]>', line: '15', into: 'by `[a, b].forEach(drop)`, which passes each element to `drop`, which moves it by `x.drop()`',
          },
        },
        {
          messageId: 'consumedPassed',
          line: 16,
          column: 16,
          data: { use: 'borrow', fix: 'use it before that call', name: 'rx', call: 'rx.drop()', method: 'Receiver#drop', callee: 'relay', what: 'for (... of r)', type: 'Receiver<number>', line: '15', into: 'by `rx.drop()`' },
        },
      ],
    },
    {
      // functions held in a \`let\` (given one, or only functions that move), a class field set in the constructor, an object's property
      code: more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2]; const c = [3]; const d = [4];\nlet post = (job: number[]): void => tx.send(job);\nlet deliver: ((job: number[]) => void) | undefined;\ndeliver = (job) => { if (job.length > 0) tx.send(job); };\npost(a); deliver(b);\nclass Outbox { readonly send: (job: number[]) => void; constructor(out: Sender<number[]>) { this.send = (job) => out.send(job); } }\nconst handlers = { post: (job: number[]): void => tx.send(job), log: (job: number[]): void => console.log(job) };\nnew Outbox(tx).send(c); handlers.post(d); handlers.log(d);\nconsole.log(a, b, c);\npost = (job) => { tx.send(job); };`,
      errors: [
        { messageId: 'useAfterMove', line: 17, column: 56, data: moved('d', 'by `handlers.post(d)`, which moves it into `tx.send(...)`', 'number[]', '17') },
        ...logged(18, [
          ['a', 'by `post(a)`, which moves it into `tx.send(...)`', 'number[]', '14'],
          ['b', 'by `deliver(b)`, which moves it into `tx.send(...)`', 'number[]', '14'],
          ['c', 'by `new Outbox(tx).send(c)`, which moves it into `out.send(...)`', 'number[]', '17'],
        ]),
      ],
    },
    {
      // a closure that moves what it captures, given to a function of the app that calls it in a loop, or twice
      code: more + `const [tx] = channel<Arc<number[]>>(); const a = new Arc([1]); const b = new Arc([2]);\nfunction retry(f: () => void): void { for (let i = 0; i < 3; i++) f(); }\nfunction twice(f: () => void): void { f(); f(); }\nretry(() => tx.send(a)); twice(() => tx.send(b));`,
      errors: [
        { messageId: 'movedInCallback', line: 13, column: 21, data: { ...moved('a', 'into `tx.send(...)`', 'Arc<number[]>', '13'), callee: 'retry' } },
        { messageId: 'movedInCallback', line: 13, column: 46, data: { ...moved('b', 'into `tx.send(...)`', 'Arc<number[]>', '13'), callee: 'twice' } },
      ],
    },
    {
      // a function that moves its parameter, given to a function of the app that calls it with a value it was given (alone, or each
      // function of an array literal), and an arrow function given so
      code: more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2]; const c = [3];\nfunction post(job: number[]): void { tx.send(job); }\nfunction runAll(fns: ((job: number[]) => void)[], job: number[]): void { for (const f of fns) f(job); }\nfunction attempt(f: (job: number[]) => void, job: number[]): void { f(job); }\nrunAll([post], a); attempt(post, b); attempt((job) => tx.send(job), c);\nconsole.log(a, b, c);`,
      errors: logged(15, [
        ['a', 'by `runAll([post], a)`, which passes it to `post`, which moves it into `tx.send(...)`', 'number[]', '14'],
        ['b', 'by `attempt(post, b)`, which passes it to `post`, which moves it into `tx.send(...)`', 'number[]', '14'],
        ['c', 'by `attempt((job) => tx.send(job), c)`, which passes it to the function given, which moves it into `tx.send(...)`', 'number[]', '14'],
      ]),
    },
    {
      // closures made before a field's move that read the field or the object holding it, called after it (rustc's E0505 on the field),
      // also after a move in one branch only; one that reads another field is not reported
      code: more + `const [tx] = channel<number[]>(); declare const ok: boolean;\nconst req = { id: 1, reply: [1] }; const job = { id: 2, reply: [2] };\nconst show = () => console.log(req.reply); const all = () => console.log(req); const id = () => req.id; const peek = () => job.reply.length;\ntx.send(req.reply);\nif (ok) tx.send(job.reply);\nshow(); all(); id(); peek();`,
      errors: [
        { messageId: 'calledAfterMove', line: 15, column: 1, data: { ...moved('req.reply', 'into `tx.send(...)`', 'number[]', '13'), closure: 'show', made: '12', through: '', used: 'called' } },
        { messageId: 'calledAfterMove', line: 15, column: 9, data: { ...moved('req.reply', 'into `tx.send(...)`', 'number[]', '13'), closure: 'all', made: '12', through: '', used: 'called' } },
        { messageId: 'calledAfterMove', line: 15, column: 22, data: { ...moved('job.reply', 'into `tx.send(...)`', 'number[]', '14'), closure: 'peek', made: '12', through: '', used: 'called' } },
      ],
    },
    {
      // a consumed field: its object handed to a function of the app that uses the field as the runtime refuses (two calls down), and a
      // closure made before the drop that does, called after it; what the runtime still serves is not reported
      code: more + `const [tx] = channel<number>(); const req = { id: 1, reply: tx };\nfunction answer(r: typeof req): void { r.reply.send(r.id); }\nfunction name(r: typeof req): number { return r.id; }\nconst relay = (r: typeof req): void => answer(r);\nconst peek = () => req.reply.send(0); const count = () => req.id;\nreq.reply.drop();\nname(req); relay(req); peek(); count();`,
      errors: [
        {
          messageId: 'consumedPassed',
          line: 16,
          column: 18,
          data: {
            use: 'borrow', fix: 'use it before that call, or call it on a clone', name: 'req.reply', call: 'req.reply.drop()', method: 'SenderHandle#drop', callee: 'relay', what: 'r.reply.send',
            type: 'Sender<number>', line: '15', into: 'by `req.reply.drop()`',
          },
        },
        { messageId: 'calledAfterMove', line: 16, column: 24, data: { ...moved('req.reply', 'by `req.reply.drop()`', 'Sender<number>', '15'), closure: 'peek', made: '14', through: '', used: 'called' } },
      ],
    },
  ],
});

/** The data of a closure held in `closure`, made on line `made`, that borrows `name` (moved `into` on `line`), used after the move. */
const borrowed = (name: string, type: string, line: string, closure: string, made: string, used = 'called', through = ''): Record<string, string> => ({
  ...moved(name, 'into a thread', type, line),
  closure,
  made,
  through,
  used,
});

ruleTester.run('no-use-after-move: closures and functions held in places the program fills at run time', rule, {
  valid: [
    // a closure a call returned, given another before its call; one that does not read the value (its maker sends before the move)
    more + `let [tx] = channel<number>();\nfunction pick(): () => void { return () => tx.send(1); }\nfunction other(): () => void { tx.send(1); return () => 0; }\nlet f = pick(); const g = other();\nspawn(move(tx), (tx) => tx.send(2));\nf = () => 0;\nf(); g();\ntx = channel<number>()[0];\npick()();`,
    // a function of the app that uses its argument at once and returns a closure that does not read it, or one given a clone
    more + `const [tx] = channel<string>();\nfunction greet(out: Sender<string>): () => number { out.send('hi'); return () => 0; }\nfunction makeLogger(out: Sender<string>): (line: string) => void { return (line) => out.send(line); }\nconst done = greet(tx); const log = makeLogger(tx.clone());\nspawn(move(tx), (tx) => tx.send('x'));\ndone(); log('done');`,
    // a let given a call's result that is not certainly a function of the app (a parameter passed through), and one given a call
    // whose maker returns a non-moving closure on one path
    more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2]; declare const ok: boolean;\nfunction through(f: (job: number[]) => void): (job: number[]) => void { return f; }\nfunction maybe(): (job: number[]) => void { if (ok) return (job) => tx.send(job); return (job) => console.log(job); }\nlet post = through((job) => tx.send(job)); const send = maybe();\npost(a); send(b);\nconsole.log(a, b);`,
    // a key written with a closure: given another before the call, called only in the branch without the move, called through a key
    // that cannot be read, after the object was handed on whole, or another key
    more + `const [tx, rx] = channel<number>(); declare const ok: boolean; declare const name: string;\nconst handlers: Record<string, () => void> = {}; const other: Record<string, () => void> = {}; const reset = (h: object): void => void h;\nhandlers['x'] = () => { rx.recv(); }; other.y = () => { rx.recv(); }; handlers.z = () => 0;\nif (ok) spawn(move(rx), (rx) => rx.recv());\nelse handlers.x();\nreset(other); handlers[name](); other.y(); handlers.z();\nhandlers['x'] = () => 0;\nhandlers.x();`,
    // a field of an object held in a variable, whose method (called between) writes it; one whose setter keeps what it is given
    more + `const [tx] = channel<number>();\nclass Bus { onClose = (): void => {}; reset(): void { this.onClose = () => {}; } }\nclass Lazy { #saved = (): void => {}; set onOpen(f: () => void) { this.#saved = f; } get onOpen(): () => void { return () => {}; } }\nconst bus = new Bus(); const lazy = new Lazy();\nbus.onClose = () => tx.send(1); lazy.onOpen = () => tx.send(2);\nspawn(move(tx), (tx) => tx.send(3));\nbus.reset(); bus.onClose(); lazy.onOpen();`,
    // a key of an object declared around the function that moves, written by another function that runs between
    more + `const [, rx] = channel<number>();\nconst handlers: Record<string, () => void> = {};\nfunction clear(): void { handlers.x = () => {}; }\nfunction start(): void { handlers['x'] = () => { rx.recv(); }; spawn(move(rx), (rx) => rx.recv()); clear(); handlers.x(); }`,
    // an array of closures: changed before it is run, run in the other branch, or an element that does not read the value
    more + `const [tx] = channel<number>(); declare const ok: boolean;\nconst steps = [() => tx.send(1), () => console.log(1)]; const later = [() => tx.send(2)];\nif (ok) spawn(move(tx), (tx) => tx.send(3));\nelse for (const step of steps) step();\nlater.length = 0;\nfor (const step of later) step();\nsteps[1]();`,
    // a parameter handed on to a function that calls it once, or only stores it
    more + `const [tx] = channel<Arc<number[]>>(); const a = new Arc([1]); const b = new Arc([2]);\nfunction once(f: () => void): void { f(); }\nfunction keep(f: () => void): () => void { return f; }\nfunction through(g: () => void): void { once(g); }\nfunction store(g: () => void): void { keep(g); }\nthrough(() => tx.send(a)); store(() => tx.send(b));`,
    // a closure kept in a field: given another after the move, or written by another method too (it may hold another when called)
    more + `class Job {\n  onDone = (): void => {};\n  start(tx: Sender<number>): void { this.onDone = () => tx.send(0); spawn(move(tx), (tx) => tx.send(1)); this.onDone = () => {}; this.onDone(); }\n}\nclass Task {\n  onEnd = (): void => {};\n  start(tx: Sender<number>): void { this.onEnd = () => tx.send(0); spawn(move(tx), (tx) => tx.send(1)); this.clear(); this.onEnd(); }\n  clear(): void { this.onEnd = () => {}; }\n}`,
  ],
  invalid: [
    {
      // a closure a call made before the move returned, called after it (Rust's \`let f = pick(&tx); thread::spawn(move || drop(tx)); f();\`: E0505)
      code: more + `const [tx] = channel<number>();\nfunction pick(): () => void { return () => tx.send(1); }\nconst f = pick();\nspawn(move(tx), (tx) => tx.send(2));\nf();`,
      errors: [{ messageId: 'calledAfterMove', line: 14, column: 1, data: borrowed('tx', 'Sender<number>', '13', 'f', '12', 'called', ' (returned by `pick()`)') }],
    },
    {
      // a closure made from the value by a function of the app (Rust's \`fn make_logger(out: &Sender) -> impl Fn(&str) + '_\`), called after the move (E0505)
      code: more + `const [tx] = channel<string>();\nfunction makeLogger(out: Sender<string>): (line: string) => void { return (line) => out.send(line); }\nconst log = makeLogger(tx);\nspawn(move(tx), (tx) => tx.send('x'));\nlog('done');`,
      errors: [{ messageId: 'calledAfterMove', line: 14, column: 1, data: borrowed('tx', 'Sender<string>', '13', 'log', '12', 'called', ' (returned by `makeLogger(tx)`)') }],
    },
    {
      // a let given a call's result: the functions its maker returns move what they are given (E0382)
      code: more + `const [tx] = channel<number[]>(); const a = [1];\nfunction pick(): (job: number[]) => void { return (job) => tx.send(job); }\nlet post = pick();\npost(a);\nconsole.log(a);`,
      errors: logged(14, [['a', 'by `post(a)`, which moves it into `tx.send(...)`', 'number[]', '13']]),
    },
    {
      // a closure written through a computed key (a literal, a const), called through the same key after the move (E0505)
      code: more + `const [tx, rx] = channel<number>(); const key = 'y';\nconst handlers: Record<string, () => void> = {};\nhandlers['x'] = () => { rx.recv(); }; handlers[key] = () => { rx.recv(); };\nspawn(move(rx), (rx) => rx.recv());\nhandlers['x'](); handlers.y(); setTimeout(handlers[key], 1);`,
      errors: [
        { messageId: 'calledAfterMove', line: 14, column: 1, data: borrowed('rx', 'Receiver<number>', '13', "handlers['x']", '12') },
        { messageId: 'calledAfterMove', line: 14, column: 18, data: borrowed('rx', 'Receiver<number>', '13', 'handlers[key]', '12') },
        { messageId: 'calledAfterMove', line: 14, column: 43, data: borrowed('rx', 'Receiver<number>', '13', 'handlers[key]', '12', 'used') },
      ],
    },
    {
      // ...an object declared around the function that moves and writes it
      code: more + `const [, rx] = channel<number>();\nconst handlers: Record<string, () => void> = {};\nfunction start(): void {\n  handlers['x'] = () => { rx.recv(); };\n  spawn(move(rx), (rx) => rx.recv());\n  handlers.x();\n}`,
      errors: [{ messageId: 'calledAfterMove', line: 15, column: 3, data: borrowed('rx', 'Receiver<number>', '14', "handlers['x']", '13') }],
    },
    {
      // an array of closures in a variable, run after the move: by a for..of, a forEach, its index (E0505)
      code: more + `const [tx] = channel<number>();\nconst steps = [() => console.log(1), () => tx.send(1)];\nspawn(move(tx), (tx) => tx.send(2));\nfor (const step of steps) step();\nsteps.forEach((s) => s()); steps[1]();`,
      errors: [
        { messageId: 'calledAfterMove', line: 13, column: 27, data: borrowed('tx', 'Sender<number>', '12', 'steps[1]', '11') },
        { messageId: 'calledAfterMove', line: 14, column: 22, data: borrowed('tx', 'Sender<number>', '12', 'steps[1]', '11') },
        { messageId: 'calledAfterMove', line: 14, column: 28, data: borrowed('tx', 'Sender<number>', '12', 'steps[1]', '11') },
      ],
    },
    {
      // a function handed on by one higher-order function to another that calls it (E0382), alone or in an array
      code: more + `const [tx] = channel<number[]>(); const a = [1]; const b = [2];\nfunction post(job: number[]): void { tx.send(job); }\nfunction attempt(f: (job: number[]) => void, job: number[]): void { f(job); }\nfunction run(g: (job: number[]) => void, job: number[]): void { attempt(g, job); }\nfunction runAll(fns: ((job: number[]) => void)[], job: number[]): void { for (const f of fns) f(job); }\nfunction start(fns: ((job: number[]) => void)[], job: number[]): void { const all = fns; runAll(all, job); runAll(fns, job); }\nrun(post, a); start([post], b);\nconsole.log(a, b);`,
      errors: logged(17, [
        ['a', 'by `run(post, a)`, which passes it to `post`, which moves it into `tx.send(...)`', 'number[]', '16'],
        ['b', 'by `start([post], b)`, which passes it to `post`, which moves it into `tx.send(...)`', 'number[]', '16'],
      ]),
    },
    {
      // ...a closure that moves what it captures, handed on to a function that calls it in a loop; a parameter called through a local name
      code: more + `const [tx] = channel<Arc<number[]>>(); const a = new Arc([1]); const b = new Arc([2]);\nfunction retry(f: () => void): void { for (let i = 0; i < 3; i++) f(); }\nfunction again(g: () => void): void { retry(g); }\nfunction twice(f: () => void): void { const h = f; h(); h(); }\nagain(() => tx.send(a)); twice(() => tx.send(b));`,
      errors: [
        { messageId: 'movedInCallback', line: 14, column: 21, data: { ...moved('a', 'into `tx.send(...)`', 'Arc<number[]>', '14'), callee: 'again' } },
        { messageId: 'movedInCallback', line: 14, column: 46, data: { ...moved('b', 'into `tx.send(...)`', 'Arc<number[]>', '14'), callee: 'twice' } },
      ],
    },
    {
      // a closure kept in a field, called after the value it reads moved: a parameter, a field of \`this\` (E0505)
      code: more + `class Job {\n  onDone = (): void => {};\n  start(tx: Sender<number>): void {\n    this.onDone = () => tx.send(0);\n    spawn(move(tx), (tx) => tx.send(1));\n    this.onDone();\n  }\n}\nclass Relay { tx = channel<number>()[0]; #onEnd = (): void => {}; stop(): void { this.#onEnd = () => this.tx.send(0); spawn(move(this.tx), (tx) => tx.send(1)); this.#onEnd(); } }`,
      errors: [
        { messageId: 'calledAfterMove', line: 15, column: 5, data: borrowed('tx', 'Sender<number>', '14', 'this.onDone', '13') },
        { messageId: 'calledAfterMove', line: 18, column: 161, data: borrowed('this.tx', 'Sender<number>', '18', 'this.#onEnd', '18') },
      ],
    },
  ],
});

describe("a moved collection's message", () => {
  it("gives the runtime's fix word for word (the E0382 a use of the moved collection throws)", () => {
    const queue = new Vec<number>();
    new Mutex(queue);
    let thrown = '';
    try {
      // eslint-disable-next-line sendsync/no-use-after-move -- the run time's refusal is what this test reads
      queue.clone();
    } catch (error) {
      thrown = (error as Error).message;
    }
    const template = rule.meta.messages.collectionAfterMove;
    const fix = template.slice(template.indexOf('to keep using it here')).replaceAll('{{name}}', 'vec');
    expect(thrown).toMatch(/^borrow of moved value: this `Vec` was moved/);
    expect(thrown.endsWith(`; ${fix}`)).toBe(true);
  });
});
