import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

const sync = new URL('../dist/sync/index.js', import.meta.url).href;

/**
 * Runs `body` in a fresh Node with `--expose-gc` and returns the growth of
 * the JavaScript heap it leaves after a full collection, in the same job
 * (so nothing queued for a later task, such as a `FinalizationRegistry`
 * clean-up, can help it), as the child prints it.
 */
function heapGrowth(body: string): number {
  const script = `
    const { Mutex, RwLock } = await import(${JSON.stringify(sync)});
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    ${body}
    globalThis.gc();
    console.log(process.memoryUsage().heapUsed - before);
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return Number(out.trim());
}

describe('memory', () => {
  // Each lock handle here is a new one, as each thread that receives a lock decodes its own handle
  // and guard: per-guard bookkeeping that outlives the guard (a WeakRef, a FinalizationRegistry
  // registration: about 60 MB for these 200,000) would show here.
  it('lock and release keep nothing alive: 200,000 short-lived Mutex and RwLock handles leave the heap as it was', () => {
    const growth = heapGrowth(`
      for (let i = 0; i < 100_000; i++) {
        const mutex = new Mutex(i);
        const guard = mutex.lock();
        guard.value += 1;
        guard[Symbol.dispose]();
        const lock = new RwLock(i);
        const read = lock.read();
        read[Symbol.dispose]();
        const write = lock.write();
        write.value += 1;
        write[Symbol.dispose]();
      }
    `);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);

  it('guards still held stay reachable for the panic hook, and are let go once released', () => {
    const growth = heapGrowth(`
      const held = [];
      for (let i = 0; i < 1_000; i++) held.push(new Mutex(i).lock());
      for (const guard of held) guard[Symbol.dispose]();
      held.length = 0;
      for (let i = 0; i < 100_000; i++) new Mutex(i).lock()[Symbol.dispose]();
    `);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
  }, 60_000);
});
