import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { availableParallelism, scope, spawn } from '@sendsync/runtime';

/**
 * Longer than twice a worker's idle timeout (10 s in worker-main.ts): a
 * worker that went to sleep before its thread was collected sleeps once more
 * before it ends itself, unless the pool keeps it.
 */
const PAUSE_MS = 22_000;

/** The worker_threads id of the worker that runs each of `count` threads spawned at once. */
function workerIds(count: number): number[] {
  return scope((s) => {
    const handles = Array.from({ length: count }, () => s.spawn(async () => (await import('node:worker_threads')).threadId));
    return handles.map((handle) => handle.join());
  });
}

describe('the pool of workers', { timeout: 60_000 }, () => {
  it('keeps as many workers as there are cores through a pause longer than the idle timeout', async () => {
    // A job that comes back after a pause would otherwise pay a fresh worker, and its imports, on every return.
    const before = new Set(workerIds(availableParallelism()));
    await sleep(PAUSE_MS);
    const after = workerIds(1)[0];
    expect(before.has(after), `worker ${after} is not one of ${[...before].join(', ')}`).toBe(true);
    expect(spawn(() => 6 * 7).join()).toBe(42);
  });

  it('starts the first worker while the first closure is read; a refused closure leaves it to the next spawns', () => {
    const fixture = fileURLToPath(new URL('./fixtures/thread/first-spawn.mjs', import.meta.url));
    const stdout = execFileSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 50_000 });
    expect(JSON.parse(stdout)).toEqual({ refused: true, plain: 42, sameWorker: true });
  });

  it("loads none of Node's built-in modules that a trivial thread does not need at a worker's start", () => {
    // Each one a fresh worker loads delays its first thread: `node:url` alone cost a cold spawn some 0.3 ms.
    const fixture = fileURLToPath(new URL('./fixtures/thread/start-builtins.mjs', import.meta.url));
    const stdout = execFileSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 50_000 });
    expect(JSON.parse(stdout)).toEqual({ loaded: [] });
  });

  it("starts the main thread's watcher only for a program whose threads may need the courier", () => {
    // On Node with /proc nothing else needs the watcher: a thread that spawns and joins pays no second worker.
    const fixture = fileURLToPath(new URL('./fixtures/thread/watcher-start.mjs', import.meta.url));
    const run = (which: string): unknown => JSON.parse(execFileSync(process.execPath, [fixture, which], { encoding: 'utf8', timeout: 50_000 }));
    expect(run('plain')).toEqual({ workers: 1, results: [1, 21, 'a2x'] });
    expect(run('sender')).toEqual({ workers: 2, results: [5] });
    expect(run('atomic')).toEqual({ workers: 2, results: [1] });
    expect(run('runtime')).toEqual({ workers: 2, results: [3] });
    expect(run('imported')).toEqual({ workers: 2, results: [5] });
    expect(run('loaded')).toEqual({ workers: 2, results: [4] });
  });
});
