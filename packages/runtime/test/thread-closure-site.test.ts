import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PanicError, move, spawn } from '@sendsync/runtime';
import { compileFailure, importedBindings, notRefused, panicStack, refusals } from './fixtures/imports/under-vitest.js';

/*
 * Threads spawned from a module that vitest itself transforms (its imports
 * renamed `__vite_ssr_import_N__`, which the spawner maps back to the modules
 * they import); the closures refused at spawn, the same under every form
 * (tsc and tsx: thread-imports.test.ts).
 */

const fixture = fileURLToPath(new URL('./fixtures/imports/under-vitest.ts', import.meta.url));
/** The advice every refusal of a name ends with. */
const advice = 'which a thread cannot see: move it to its own module and import it there, or move(...) it in if it is Send data';

describe('a closure under vitest', { timeout: 60_000 }, () => {
  it('calls what its module imports: a helper, a default export, a namespace, node: and a package', async () => {
    expect(await importedBindings()).toEqual({
      named: 42,
      default: 'hello, vitest',
      namespace: 1,
      builtin: 'ba7816bf',
      dependency: 'Program',
      async: 8,
      builder: 10,
      scoped: 'hello, scope',
      nested: 40,
      nestedScoped: 'hello, nested scope',
    });
  });

  it("a panic's stack names the closure's file and line", () => {
    const { stack, line } = panicStack();
    expect(stack.split('\n')[1]).toMatch(new RegExp(`^ +at eval \\(${fixture.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+\\)$`));
  });

  it('a closure that fails to compile in its thread, spawned twice, leaves the worker serving the next one', () => {
    for (let round = 0; round < 2; round++) {
      const panic = compileFailure();
      expect(panic).toBeInstanceOf(PanicError);
      expect(((panic as PanicError).cause as Error).message).toBe('worker-only-failure.ts refuses to load in a thread');
    }
    // The same worker (the most recently freed) runs innocent threads.
    for (let index = 0; index < 20; index++) expect(spawn(move(index), (value) => value * 2).join()).toBe(index * 2);
  });
});

describe('refused at spawn with a TypeError, before any thread runs', () => {
  it('says what the closure uses that a thread cannot have, and what to do', () => {
    expect(refusals()).toEqual({
      moduleFunction: `TypeError: spawn: the closure uses \`localHelper\`, declared in under-vitest.ts itself, ${advice}`,
      moduleVariable: `TypeError: spawn: the closure uses \`localTable\`, declared in under-vitest.ts itself, ${advice}`,
      enclosingLocal: `TypeError: spawn: the closure uses \`offset\`, declared around the closure (in under-vitest.ts or a function enclosing it), ${advice}`,
      bound:
        'TypeError: spawn: a bound or built-in function cannot run in a thread: a thread compiles its closure from the source text, ' +
        'and this function has none; give spawn an arrow function, e.g. `() => f(...)` with `f` imported',
      builtin:
        'TypeError: spawn: a bound or built-in function cannot run in a thread: a thread compiles its closure from the source text, ' +
        'and this function has none; give spawn an arrow function, e.g. `() => f(...)` with `f` imported',
      class: 'TypeError: spawn: a class cannot run in a thread; give spawn a function',
      getter: 'TypeError: spawn: a getter or setter cannot run in a thread without its object; give spawn an arrow function',
      method:
        'TypeError: spawn: the method `scale` cannot run in a thread without its object or class (it uses `this` or `super`); ' +
        'give spawn an arrow function that does the work',
      importMeta:
        'TypeError: spawn: the closure uses `import.meta`, which a thread does not have: read what it needs (`import.meta.url`, …) ' +
        'before the spawn and move(...) it in',
      arguments:
        'TypeError: spawn: the closure uses `arguments` of the function around it, which a thread does not have: ' +
        'move(...) the values it needs',
      enclosingThis:
        'TypeError: spawn: the closure uses `this` of the method around it, which a thread does not have: read what it needs ' +
        'into locals before the spawn and move(...) them in',
    });
  });

  it('names that only look free are not refused (properties, keys, labels, shadowing, typeof), nor a method without `this`', () => {
    expect(notRefused()).toEqual([3, 42]);
  });
});
