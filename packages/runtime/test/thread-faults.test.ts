// Fault injection: a thread's failure, of any kind, is that thread's, and the
// threads after it on the same pool run as if nothing happened. The other
// faults are tested beside the code they concern: hostile thrown values in
// thread-hostile-throw.test.ts, closures that fail to compile in
// thread-imports.test.ts, a worker dying under a blocked join() or lock() in
// thread-panic.test.ts, every duration argument with its API (park, Condvar,
// recvTimeout, sleep), and memory in thread-soak.test.ts.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PanicError, move, spawn } from '@sendsync/runtime';

const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/thread/${name}`, import.meta.url));

/** Awaits a thread that must panic; returns its cause. */
async function causeOf(thread: () => Promise<unknown>): Promise<unknown> {
  try {
    await spawn(thread).joinAsync();
  } catch (error) {
    expect(error).toBeInstanceOf(PanicError);
    return (error as PanicError).cause;
  }
  throw new Error('expected a panic');
}

describe('faults', { timeout: 60_000 }, () => {
  it('work a thread leaves behind (a rejection, a timer, a tick, an async function) is a warning naming it, never the next thread’s panic', async () => {
    const { stdout, stderr } = await run(process.execPath, [fixture('stray.mjs')], { encoding: 'utf8', timeout: 50_000 });
    const outcome = JSON.parse(stdout) as Record<string, { culprit: number; innocents: unknown[] }>;
    const kinds = { rejection: 'stray rejection', timer: 'stray timer', tick: 'stray tick', 'async function': 'stray async function' };
    for (const [kind, message] of Object.entries(kinds)) {
      const { culprit, innocents } = outcome[kind];
      expect(innocents, kind).toEqual([0, 1, 2, 3]);
      expect(stderr).toContain(`sendsync: work that thread ${culprit} left behind threw after the thread ended; it is no other thread's panic:\nError: ${message}`);
    }
  });

  it('a thread’s own stray error (a timer, a rejection) while it still runs is its panic, and its worker serves the next threads though its promise never settles', async () => {
    const timer = await causeOf(async () => {
      setTimeout(() => {
        throw new Error('own timer');
      }, 1);
      await new Promise(() => {});
    });
    expect((timer as Error).message).toBe('own timer');
    const rejection = await causeOf(async () => {
      void Promise.reject(new Error('own rejection'));
      await new Promise(() => {});
    });
    expect((rejection as Error).message).toBe('own rejection');
    // Before the fix, the worker waited for the panicked thread's promise: the next thread on it never started.
    for (let round = 0; round < 10; round++) {
      const handle = spawn(move(round), (round) => round);
      const waited = await Promise.race([handle.joinAsync(), new Promise((resolve) => setTimeout(resolve, 20_000, 'still waiting'))]);
      expect(waited).toBe(round);
    }
  });

  it.runIf(process.platform === 'linux')('a thread out of memory ends with ThreadExitError, and the next threads run on a new worker', async () => {
    const { stdout } = await run(process.execPath, ['--max-old-space-size=64', fixture('worker-dies.mjs'), 'then'], { encoding: 'utf8', timeout: 50_000 });
    expect(JSON.parse(stdout)).toEqual({
      join: "PanicError: ThreadExitError: the thread's worker died before the thread returned (terminated, or out of memory)",
      innocents: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18],
    });
  });
});
