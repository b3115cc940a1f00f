import rule from '../../src/rules/no-non-send-capture.js';
import { imports } from '../imports.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const notSendRc = ': the trait `Send` is not implemented for `Rc<number>`';
const noCodecPoint =
  ': a class instance crosses only with a codec registered for its class (`registerCodec`) or a `Send` opt-in (`interface Point extends Send {}`); without one it would arrive as a plain object';

ruleTester.run('no-non-send-capture', rule, {
  valid: [
    imports + `const n = [1, 2, 3]; spawn(move(n), (n) => n.length);`,
    imports + `const m = new Arc(new Mutex(0)); spawn(move(m), (m) => m.value);`,
    // Cell<T> is Send when T is
    imports + `const c = new Cell(1); spawn(move(c), (c) => c.get());`,
    imports + `const a = new AtomicU32(0); const d = new Date(); spawn(move(a, d, new Map([[1, 'x']]), new Set([1n]), /x/, new Uint8Array(4)), (a) => a.load());`,
    imports + `const config = { name: 'x', sizes: [1, 2], nested: { on: true, when: new Date() } }; spawn(move(config), (config) => config.name);`,
    imports + `spawn(() => Math.max(1, 2));`,
    // Mutex<Cell<T>> is Send and Sync
    imports + `scope((s) => { s.spawn(move(new Mutex(new Cell(1))), (m) => 1); });`,
    // `never` is vacuously Send
    imports + `declare const nothing: never; spawn(move(nothing), (x) => 1);`,
    // a recursive type is checked once per type, so the walk ends
    imports + `interface List { head: number; tail: List | null } declare const list: List; spawn(move(list), (l) => l.head);`,
    // a type parameter whose bound proves it Send, as rustc accepts `T: Send`
    imports + `import type { Send } from '@sendsync/marker';\nfunction run<T extends Send>(x: T) { spawn(move(x), (x) => 1); }\nfunction all<T extends number[]>(xs: T) { spawn(move(...xs), (...xs) => 1); }`,
    // a closure that returns a promise without being \`async\`: the thread awaits it, and its value crosses (the marker's CheckSendAwaited)
    imports + `declare function load(): Promise<number[]>;\nspawn(() => load());\nspawn(() => Promise.resolve([1]));`,
    // a helper whose closure's result is checked at each call
    imports + `import type { CheckSendAwaited } from '@sendsync/marker';\nfunction go<T>(f: () => CheckSendAwaited<T, 'result'>) { return spawn(f); }`,
    // a helper whose parameter is checked at each call (\`Movable\`): tsc checked every argument, as rustc checks \`fn run<T: Send>\`'s callers
    imports + `import type { Movable } from '@sendsync/marker';\nfunction run<T>(x: Movable<T>) { spawn(move(x), (x) => 1); }\nfunction pair<A, B>(a: Movable<A>, b: Movable<B, 1>) { spawn(move(a, b), (a, b) => 1); }`,
    // ...and its callers that pass Send data, or a value their own \`Movable\` parameter checked, pass
    imports + `import type { Movable } from '@sendsync/marker';\nfunction run<T>(x: Movable<T>) { spawn(move(x), (x) => 1); }\nrun([1, 2]);\nfunction relay<T>(y: Movable<T>) { run(y); }\nconst go = <T,>(x: Movable<T>) => spawn(move(x), (x) => 1);\ngo({ id: 1 });`,
    // a capture is `no-implicit-capture`'s to report (one diagnostic per mistake)
    imports + `const rc = new Rc(5); function helper() { return 1; } spawn(() => rc.value + helper());`,
    // a class with a codec registered in its module, or opted in with Send, crosses
    `import { spawn, move, registerCodec } from '@sendsync/runtime';
import type { Send } from '@sendsync/marker';
class Point { constructor(readonly x: number) {} norm() { return Math.abs(this.x); } }
registerCodec({ type: Point, tag: 'Point', encode: (p) => p.x, decode: (x: number) => new Point(x), name: () => 'Point' });
class Label { constructor(readonly text: string) {} }
interface Label extends Send {}
spawn(move(new Point(1), new Label('a')), (p, l) => p.x);`,
    // Send results, sync and async
    imports + `spawn(() => [1, 2]); spawn(async () => new Arc(1)); spawn(() => { throw new Error('x'); }); spawn(() => {});`,
    // a spread of Send elements
    imports + `const numbers = [1, 2]; spawn(move(...numbers), (...numbers) => numbers.length);`,
    // a look-alike that is not the runtime's: recognised by declaration, not by name
    `function move(...values: unknown[]) { return values; }
function spawn(...args: unknown[]) { return args; }
const f = () => 1;
spawn(move(f), () => f());`,
  ],
  invalid: [
    {
      // a class instance without a codec or a Send opt-in would arrive as a plain object
      code: imports + `class Point { x = 0; y = 0 }\nspawn(move(new Point()), (p) => p.x);`,
      errors: [
        {
          messageId: 'notSend',
          line: 7,
          column: 12,
          data: {
            problem: '`Point` cannot be sent between threads safely (at captures[0])',
            reason: noCodecPoint,
            cause: '`captures[0]` is moved into the closure passed to `spawn`',
          },
        },
      ],
    },
    {
      // private and #private fields are walked too
      code: `import { spawn, move, registerCodec } from '@sendsync/runtime';
import { Rc } from '@sendsync/runtime/rc';
import { Cell } from '@sendsync/runtime/cell';
class Cache { private rc = new Rc(1); #hits = new Cell(() => 0); size = 1 }
registerCodec({ type: Cache, tag: 'Cache', encode: (c) => c.size, decode: () => new Cache(), name: () => 'Cache' });
spawn(move(new Cache()), (c) => c.size);`,
      errors: [
        {
          messageId: 'notSend',
          line: 6,
          column: 12,
          data: { problem: '`Rc<number>` cannot be sent between threads safely (at captures[0].rc)', reason: notSendRc, cause: '`captures[0]` is moved into the closure passed to `spawn`' },
        },
      ],
    },
    {
      // a thread's result crosses back to the joining thread: sync, async, block bodies, scoped threads
      code: imports + `spawn(() => new Rc(1));\nspawn(async () => new Rc(1));\nspawn(move(1), (n) => { if (n) return new Rc(n); return new Rc(0); });\nscope((s) => { s.spawn(() => new Cell(() => 1)); });`,
      errors: [
        { messageId: 'notSend', line: 6, column: 13, endColumn: 22, data: { problem: '`Rc<number>` cannot be sent between threads safely (at result)', reason: notSendRc, cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it' } },
        { messageId: 'notSend', line: 7, column: 19, data: { problem: '`Rc<number>` cannot be sent between threads safely (at result)', reason: notSendRc, cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it' } },
        { messageId: 'notSend', line: 8, column: 39, data: { problem: '`Rc<number>` cannot be sent between threads safely (at result)', reason: notSendRc, cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it' } },
        { messageId: 'notSend', line: 9, column: 30, data: { problem: '`Function` cannot be sent between threads safely (at result)', reason: ': the trait `Send` is not implemented for `Function`', cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it' } },
      ],
    },
    {
      // a promise returned without \`async\`: what it settles with crosses, and is named
      code: imports + `spawn(() => Promise.resolve(new Rc(1)));`,
      errors: [{ messageId: 'notSend', line: 6, column: 13, data: { problem: '`Rc<number>` cannot be sent between threads safely (at result)', reason: notSendRc, cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it' } }],
    },
    {
      // a closure that is a parameter: checked through its type (rustc: \`T\` cannot be sent, for \`fn go<T>(f: impl FnOnce() -> T)\`)
      code: imports + `function go<T>(f: () => T) {\n  return spawn(f);\n}`,
      errors: [
        {
          messageId: 'notSend',
          line: 7,
          column: 16,
          data: {
            problem: '`T` cannot be sent between threads safely (at result)',
            reason: ": consider restricting type parameter `T` with `Send`: take the closure as `() => CheckSendAwaited<T, 'result'>` (`@sendsync/marker`), which checks it at each call",
            cause: 'the result of the closure passed to `spawn` is sent to the thread that joins it',
          },
        },
      ],
    },
    {
      // an unconstrained type parameter: rustc's sentence and its help
      code: imports + `function run<T>(x: T) {\n  spawn(move(x), (x) => 1);\n}`,
      errors: [
        {
          messageId: 'notSend',
          line: 7,
          column: 14,
          data: { problem: '`T` cannot be sent between threads safely (at x)', reason: ': consider restricting type parameter `T` with `Send`: take the value as `Movable<T>` (`@sendsync/marker`), which checks it at each call', cause: '`x` is moved into the closure passed to `spawn`' },
        },
      ],
    },
    {
      // a bound that does not prove it: the bound is what is checked
      code: imports + `function run<T extends Rc<number>>(x: T) {\n  spawn(move(x), (x) => 1);\n}`,
      errors: [{ messageId: 'notSend', line: 7, column: 14, data: { problem: '`Rc<number>` cannot be sent between threads safely (at x)', reason: notSendRc, cause: '`x` is moved into the closure passed to `spawn`' } }],
    },
    {
      // spread arguments pass their elements: an array's, and a rest tuple's
      code: imports + `const rcs = [new Rc(1)];\nspawn(move(...rcs), (...rcs) => 1);\nfunction rest(...values: [number, Rc<number>]) { spawn(move(...values), (n, rc) => n); }`,
      errors: [
        { messageId: 'notSend', line: 7, column: 15, endColumn: 18, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rcs[i])', reason: notSendRc, cause: '`rcs` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 8, column: 64, data: { problem: '`Rc<number>` cannot be sent between threads safely (at values[1])', reason: notSendRc, cause: '`values` is moved into the closure passed to `spawn`' } },
      ],
    },
    {
      code: imports + `const rc = new Rc(5);\nspawn(move(rc), (rc) => rc.value);`,
      errors: [
        {
          messageId: 'notSend',
          line: 7,
          column: 12,
          endLine: 7,
          endColumn: 14,
          data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved into the closure passed to `spawn`' },
        },
      ],
    },
    {
      // where inside the value the culprit sits
      code: imports + `const config = { name: 'x', cache: new Rc(1) };\nspawn(move(1, config), (one, config) => config.name);`,
      errors: [
        { messageId: 'notSend', line: 7, column: 15, data: { problem: '`Rc<number>` cannot be sent between threads safely (at config.cache)', reason: notSendRc, cause: '`config` is moved into the closure passed to `spawn`' } },
      ],
    },
    {
      // aliased and namespace imports, Builder and scope spawns, re-exports (`@sendsync/runtime` re-exports `./thread`)
      code: `import { spawn as go, move as give } from '@sendsync/runtime';
import * as thread from '@sendsync/runtime/thread';
import { Rc } from '@sendsync/runtime/rc';
const rc = new Rc(1);
go(give(rc), (rc) => 1);
thread.spawn(thread.move(rc), (rc) => 1);
new thread.Builder().name('worker').spawn(thread.move(rc), (rc) => 1);
thread.scope((s) => s.spawn(give(rc), (rc) => 1));
const m = give(rc);`,
      errors: [
        { messageId: 'notSend', line: 5, column: 9, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 6, column: 26, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 55, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 8, column: 34, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 9, column: 16, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is moved with `move(...)`' } },
      ],
    },
    {
      code: imports + `const job = { id: 1, run() { return 1; } };
spawn(move(job, anything, new Map<string, Rc<number>>(), [1, new Rc(2)] as const, new Mutex(new Rc(1)), Promise.resolve(1), Symbol('s'), new WeakMap<object, number>()), () => 1);`,
      errors: [
        { messageId: 'notSend', line: 7, column: 12, data: { problem: '`Function` cannot be sent between threads safely (at job.run)', reason: ': the trait `Send` is not implemented for `Function`', cause: '`job` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 17, data: { problem: '`any` cannot be sent between threads safely: its type does not prove it is Send (at anything)', reason: '', cause: '`anything` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 27, data: { problem: '`Rc<number>` cannot be sent between threads safely (at captures[2]<value>)', reason: notSendRc, cause: '`captures[2]` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 58, data: { problem: '`Rc<number>` cannot be sent between threads safely (at captures[3][1])', reason: notSendRc, cause: '`captures[3]` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 83, data: { problem: '`Rc<number>` cannot be sent between threads safely (at captures[4])', reason: notSendRc, cause: '`captures[4]` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 105, data: { problem: '`Promise<number>` cannot be sent between threads safely (at captures[5])', reason: ': the trait `Send` is not implemented for `Promise<number>`', cause: '`captures[5]` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 125, data: { problem: '`symbol` cannot be sent between threads safely (at captures[6])', reason: ': the trait `Send` is not implemented for `symbol`', cause: '`captures[6]` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 138, data: { problem: '`WeakMap<object, number>` cannot be sent between threads safely (at captures[7])', reason: ': the trait `Send` is not implemented for `WeakMap<object, number>`', cause: '`captures[7]` is moved into the closure passed to `spawn`' } },
      ],
    },
    {
      // Arc<T> is Send only when T is Send and Sync: the culprit is the part that is not Sync
      code: imports + `const shared = new Arc(new Cell(1));\nspawn(move(shared), (shared) => 1);`,
      errors: [
        { messageId: 'notSend', line: 7, column: 12, data: { problem: '`Cell<number>` cannot be shared between threads safely (at shared)', reason: ': the trait `Sync` is not implemented for `Cell<number>`', cause: '`shared` is moved into the closure passed to `spawn`' } },
      ],
    },
    {
      // unknown, an empty object type and a class instance with methods
      code: imports + `declare const u: unknown; declare const o: {}; class Point { constructor(readonly x: number) {} norm() { return this.x; } }
spawn(move(u, o, new Point(1)), () => 1);`,
      errors: [
        { messageId: 'notSend', line: 7, column: 12, data: { problem: '`unknown` cannot be sent between threads safely: its type does not prove it is Send (at u)', reason: '', cause: '`u` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 15, data: { problem: '`{}` cannot be sent between threads safely: its type does not prove it is Send (at o)', reason: '', cause: '`o` is moved into the closure passed to `spawn`' } },
        { messageId: 'notSend', line: 7, column: 18, data: { problem: '`Point` cannot be sent between threads safely (at captures[2])', reason: noCodecPoint, cause: '`captures[2]` is moved into the closure passed to `spawn`' } },
      ],
    },
    {
      // a caller of a \`Movable\` helper, named as the caller wrote it (tsc names the helper's place, \`captures[0]\`): rustc's
      // "required by a bound in \`run\`"; a value written in place is named by the helper's parameter; a method and an arrow held in a const too
      code:
        imports +
        `import type { Movable } from '@sendsync/marker';\nfunction run<T>(x: Movable<T>) { spawn(move(x), (x) => 1); }\nconst rc = new Rc(1);\nrun(rc);\nrun({ cache: new Rc(2) });\nconst api = { pair<A, B>(a: Movable<A>, b: Movable<B, 1>) { spawn(move(a, b), (a, b) => 1); } };\napi.pair(1, rc);\nconst go = <T,>(job: Movable<T>) => spawn(move(job), (job) => 1);\ngo(() => 1);`,
      errors: [
        { messageId: 'notSend', line: 9, column: 5, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is passed to `run`, which moves it into a thread (its parameter `x` is `Movable`)' } },
        { messageId: 'notSend', line: 10, column: 5, data: { problem: '`Rc<number>` cannot be sent between threads safely (at x.cache)', reason: notSendRc, cause: '`x` is passed to `run`, which moves it into a thread (its parameter `x` is `Movable`)' } },
        { messageId: 'notSend', line: 12, column: 13, data: { problem: '`Rc<number>` cannot be sent between threads safely (at rc)', reason: notSendRc, cause: '`rc` is passed to `api.pair`, which moves it into a thread (its parameter `b` is `Movable`)' } },
        { messageId: 'notSend', line: 14, column: 4, data: { problem: '`Function` cannot be sent between threads safely (at job)', reason: ': the trait `Send` is not implemented for `Function`', cause: '`job` is passed to `go`, which moves it into a thread (its parameter `job` is `Movable`)' } },
      ],
    },
  ],
});
