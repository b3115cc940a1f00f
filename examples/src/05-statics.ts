/**
 * Statics: a value that belongs to the whole program, that any thread may use.
 *
 * Rust: `static X: [i32; 3] = [1, 2, 3]; thread::spawn(|| dbg!(&X));`
 *
 * JavaScript's nearest honest equivalent is a module-level constant, frozen:
 * each thread that imports the module evaluates it to the same value, and
 * nobody can change it. A relative `import()` inside a thread resolves against
 * the module that spawned it.
 */
import { spawn } from '@sendsync/runtime';
import { X } from './data/statics.js';

const handle = spawn(async () => {
  const { X } = await import('./data/statics.js');
  console.log(`[thread] X = ${JSON.stringify(X)}, frozen: ${Object.isFrozen(X)}`);
});
handle.join();
console.log(`[main]   X = ${JSON.stringify(X)}, frozen: ${Object.isFrozen(X)}`);
