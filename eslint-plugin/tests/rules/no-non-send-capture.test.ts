import rule from '../../src/rules/no-non-send-capture.js';
import { createRuleTester } from '../rule-tester.js';

const ruleTester = createRuleTester();

const imports = `import { spawn, move, scope, Builder } from '@sendsync/runtime';
import { Mutex, Arc, AtomicU32 } from '@sendsync/runtime/sync';
import { Cell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';
`;

ruleTester.run('no-non-send-capture', rule, {
  valid: [
    imports + `const n = [1, 2, 3]; spawn(move(n), (n) => n.length);`,
    imports + `const m = new Arc(new Mutex(0)); spawn(move(m), (m) => m.value);`,
    imports + `const c = new Cell(1); spawn(move(c), (c) => c.get());`,
    imports + `const a = new AtomicU32(0); const d = new Date(); spawn(move(a, d, new Map([[1, 'x']])), (a, d, map) => a.load());`,
    imports + `spawn(() => Math.max(1, 2));`,
    // a look-alike that is not the runtime's: recognised by declaration, not by name
    `function move(...values: unknown[]) { return values; }
function spawn(...args: unknown[]) { return args; }
const f = () => 1;
spawn(move(f), () => f());`,
  ],
  invalid: [
    {
      code: imports + `const rc = new Rc(5);
spawn(move(rc), (rc) => rc.value);`,
      errors: [
        {
          messageId: 'notSend',
          line: 6,
          column: 12,
          endColumn: 14,
          data: {
            culprit: 'Rc<number>',
            at: ' (at rc)',
            reason: 'the trait `Send` is not implemented for `Rc<number>`',
            cause: '`rc` is moved into the closure passed to `spawn`',
          },
        },
      ],
    },
    {
      code: imports + `const config = { name: 'x', cache: new Rc(1) };
const go = spawn;
spawn(move(1, config), (one, config) => config.name);`,
      errors: [{ messageId: 'notSend', line: 7, column: 15, data: { culprit: 'Rc<number>', at: ' (at config.cache)', reason: 'the trait `Send` is not implemented for `Rc<number>`', cause: '`config` is moved into the closure passed to `spawn`' } }],
    },
  ],
});
