/**
 * Threads that spawn threads, in headless Chromium (pages/nested.js): a
 * worker's own workers start through that worker's event loop there, so the
 * main thread's watcher starts them (see the runtime's internal/lifeline.ts).
 * Each case fails (its page reports the threads hung) if a nested worker
 * waits for its blocked or sleeping parent.
 */
import { describe, expect, it } from 'vitest';
import { pageSession } from './page-session.js';

const { call } = pageSession('/browser-tests/pages/nested.js');

describe('threads that spawn threads in a browser', () => {
  // First: its spawning thread then runs on one of the page's first workers, which stay however long they idle
  // (pool.ts's kept workers). Were its new workers its own, they would wait for ever for its event loop; a worker
  // that is not kept would run its event loop as it ends itself, after its idle timeout.
  it('runs threads whose spawner returned at once, joined by the page through their returned handles', async () => {
    expect(await call('spawnAndReturn', 4)).toEqual([0, 1, 4, 9]);
  });

  it('runs a thread spawned by a thread that then blocks in join()', async () => {
    expect(await call('spawnAndJoin', 20)).toEqual(Array.from({ length: 20 }, (_, round) => round * 3 + 1));
  });

  it('runs threads three levels below the page, each joined by its spawner', async () => {
    expect(await call('threeLevels')).toBe('third < second < first');
  });

  it('runs scope() with 4 scoped threads inside a thread', async () => {
    const sums = Array.from({ length: 4 }, (_, part) => Array.from({ length: 100 }, (_, i) => part * 100 + i).reduce((a, b) => a + b, 0));
    expect(await call('scopeInThread', 4)).toEqual(sums);
  });
});
