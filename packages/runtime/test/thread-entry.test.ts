import { describe, expect, it } from 'vitest';
import { Builder, move, PanicError, scope, spawn } from '../dist/index.js';
import { Arc, Mutex } from '../dist/sync/index.js';
import { threadEntry } from '../dist/thread/thread-entry.js';

/*
 * A thread entry: a thread runs a module's export, imported by the worker,
 * in place of a closure's source text (what the bundler plugin's rewritten
 * calls give spawn). Both bootstraps run it: the runtime's own, and the one a
 * bundle builds (its worker entry, fixtures/entry/bundled-worker.js, over
 * `internal/bundled-worker`), here loaded unbundled.
 */

const body = new URL('./fixtures/entry/thread-body.js', import.meta.url).href;
const bundledWorker = new URL('./fixtures/entry/bundled-worker.js', import.meta.url).href;

/** Stands in for the closure in spawn's signature: the plugin's output is JavaScript. */
function entry<Fn>(name: string, worker?: string): Fn {
  return threadEntry(body, name, worker) as unknown as Fn;
}

describe('thread entries', { timeout: 120_000 }, () => {
  for (const [bootstrap, worker] of [['the runtime bootstrap', undefined], ['the bundled bootstrap', bundledWorker]] as const) {
    it(`runs a module's export with moved values, on ${bootstrap}`, () => {
      const counter = new Arc(new Mutex(0));
      const handles = [];
      for (let index = 0; index < 20; index++) {
        handles.push(new Builder().name(`t${index % 2}`).spawn(move(counter.clone(), 1), entry<(counter: Arc<Mutex<number>>, amount: number) => string>('add', worker)));
      }
      const results = handles.map((handle) => handle.join());
      expect(results.every((result) => /^t[01]: \d+$/.test(result))).toBe(true);
      using guard = counter.value.lock();
      expect(guard.value).toBe(20);
    });

    it(`a panic reaches join() with its class and the module's frame, on ${bootstrap}`, () => {
      let caught: unknown;
      try {
        spawn(entry<() => void>('fail', worker)).join();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PanicError);
      const cause = (caught as PanicError).cause as Error;
      expect(cause).toBeInstanceOf(RangeError);
      expect(cause.message).toBe('entry panicked');
      expect(cause.stack).toContain('thread-body.js:15');
    });
  }

  it('an export that is not a function panics with what is wrong, and the worker runs the next threads', () => {
    let caught: unknown;
    try {
      spawn(entry<() => void>('notAFunction')).join();
    } catch (error) {
      caught = error;
    }
    expect(((caught as PanicError).cause as Error).message).toMatch(/has no function export `notAFunction`/);
    scope((s) => {
      for (let index = 0; index < 10; index++) s.spawn(move(new Arc(new Mutex(0)), index), entry<(counter: Arc<Mutex<number>>, amount: number) => string>('add'));
    });
  });
});
