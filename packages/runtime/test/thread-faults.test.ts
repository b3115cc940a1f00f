// Fault injection: a thread's failure, of any kind, is that thread's (and
// asynchronous work outside its promise is no thread's: a warning), and the
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

const run = promisify(execFile);
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/thread/${name}`, import.meta.url));
/** The warning a worker writes before the stack of such an error (README, "The worker pool"). */
const WARNING = "sendsync: asynchronous work outside a thread's returned promise threw (a timer, a callback, a tick, an unhandled rejection); it is no thread's panic:";

describe('faults', { timeout: 60_000 }, () => {
  it('asynchronous work outside a thread’s promise that throws (a rejection, a timer, a tick, an async function) is a warning, never a thread’s panic', async () => {
    const { stdout, stderr } = await run(process.execPath, [fixture('stray.mjs')], { encoding: 'utf8', timeout: 50_000 });
    // Before the fix, the first innocent thread to await after each culprit panicked with its error, its result lost.
    expect(JSON.parse(stdout)).toEqual({
      rejection: [0, 1, 2, 3],
      timer: [0, 1, 2, 3],
      tick: [0, 1, 2, 3],
      'async function': [0, 1, 2, 3],
      running: 'returned',
    });
    for (const message of ['stray rejection', 'stray timer', 'stray tick', 'stray async function', 'stray timer of a running thread']) {
      expect(stderr).toContain(`${WARNING}\nError: ${message}\n`);
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
