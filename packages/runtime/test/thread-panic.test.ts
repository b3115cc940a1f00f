import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Builder, PanicError, move, scope, spawn } from '@sendsync/runtime';

const workerDies = fileURLToPath(new URL('./fixtures/thread/worker-dies.mjs', import.meta.url));

/** The repository, which a process run under Node's permission model may read (and nothing else). */
const repository = fileURLToPath(new URL('../../..', import.meta.url));
/** Node's permission model, allowed workers and reads of the repository only: no `/proc`, as Deno without `--allow-read`. */
const WITHOUT_PROC = [
  process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission',
  '--allow-worker',
  `--allow-fs-read=${repository}`,
];

/**
 * Runs fixtures/thread/worker-dies.mjs with a 64 MB heap, so that its thread
 * dies of it; `flags` before it (where the runtime cannot read `/proc`, its
 * watcher sees the death).
 */
function whenWorkerDies(mode: 'join' | 'lock', flags: readonly string[] = []): Record<string, string> {
  const output = execFileSync(process.execPath, [...flags, '--no-warnings', '--max-old-space-size=64', workerDies, mode], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return JSON.parse(output) as Record<string, string>;
}

function panicOf(run: () => unknown): PanicError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PanicError);
    return error as PanicError;
  }
  throw new Error('expected a panic');
}

describe('panics', { timeout: 20_000 }, () => {
  it('a thrown Error subclass reaches join() with class, message and stack', () => {
    const panic = panicOf(() =>
      spawn(() => {
        throw new RangeError('out of range');
      }).join(),
    );
    expect(panic.cause).toBeInstanceOf(RangeError);
    expect((panic.cause as Error).message).toBe('out of range');
    expect((panic.cause as Error).stack).toContain('out of range');
    expect(panic.threadId).toBeGreaterThan(1);
  });

  it('keeps cause chains and own properties', () => {
    const panic = panicOf(() =>
      spawn(() => {
        const inner = new TypeError('inner');
        throw Object.assign(new Error('outer', { cause: inner }), { code: 'E_OUTER', detail: { n: 1 } });
      }).join(),
    );
    const error = panic.cause as Error & { code: string; detail: { n: number } };
    expect(error.message).toBe('outer');
    expect(error.code).toBe('E_OUTER');
    expect(error.detail).toEqual({ n: 1 });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toBe('inner');
  });

  it("keeps a user class's name", () => {
    const panic = panicOf(() =>
      spawn(() => {
        class ParseError extends Error {
          override name = 'ParseError';
          line = 3;
        }
        throw new ParseError('bad token');
      }).join(),
    );
    const error = panic.cause as Error & { line: number };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ParseError');
    expect(error.constructor.name).toBe('ParseError');
    expect(error.line).toBe(3);
  });

  it('keeps AggregateError and its errors', () => {
    const panic = panicOf(() =>
      spawn(() => {
        throw new AggregateError([new Error('a'), new SyntaxError('b')], 'both');
      }).join(),
    );
    const error = panic.cause as AggregateError;
    expect(error).toBeInstanceOf(AggregateError);
    expect(error.errors.map((inner: Error) => inner.constructor.name)).toEqual(['Error', 'SyntaxError']);
  });

  it('carries thrown non-errors as they are', () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- deliberately throws a non-error to test how it is carried
    expect(panicOf(() => spawn(() => { throw 'a string'; }).join()).cause).toBe('a string');
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- deliberately throws a non-error to test how it is carried
    expect(panicOf(() => spawn(() => { throw 42; }).join()).cause).toBe(42);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- deliberately throws a non-error to test how it is carried
    expect(panicOf(() => spawn(() => { throw { code: 7 }; }).join()).cause).toEqual({ code: 7 });
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- deliberately throws a non-error to test how it is carried
    expect(panicOf(() => spawn(() => { throw undefined; }).join()).cause).toBeUndefined();
  });

  it('a rejected async closure panics', async () => {
    const handle = spawn(async () => {
      await Promise.resolve();
      throw new URIError('late');
    });
    await expect(handle.joinAsync()).rejects.toBeInstanceOf(PanicError);
  });

  it('names the thread in the panic', () => {
    const panic = panicOf(() =>
      new Builder()
        .name('parser')
        .spawn(() => {
          throw new Error('x');
        })
        .join(),
    );
    expect(panic.threadName).toBe('parser');
    expect(panic.message).toBe("thread 'parser' panicked");
  });

  it('a result that is not Send panics with E0277', () => {
    const panic = panicOf(() => spawn((() => () => 1) as () => never).join());
    expect((panic.cause as Error).message).toBe('`Function` cannot be sent between threads safely (at result)');
  });

  it('process.exit in a thread ends it with a panic, and the pool goes on', () => {
    const panic = panicOf(() => spawn(() => process.exit(3)).join());
    expect(String((panic.cause as Error).message)).toContain('3');
    expect(spawn(move(1), (n) => n + 1).join()).toBe(2);
  });

  // On Linux a blocked thread sees a worker die through /proc (elsewhere only its event loop can, once it runs).
  it.runIf(process.platform === 'linux')('a thread whose worker dies while the spawner is blocked in join(): join throws, no hang', () => {
    expect(whenWorkerDies('join')).toEqual({
      join: "PanicError: ThreadExitError: the thread's worker died before the thread returned (terminated, or out of memory)",
    });
  });

  it.runIf(process.platform === 'linux')('a lock held by a thread whose worker dies: a blocked lock() throws PoisonError, no hang', () => {
    const outcome = whenWorkerDies('lock');
    expect(outcome.lock).toBe('PoisonError');
    expect(outcome.join).toContain('ThreadExitError');
  });

  it('without /proc, a thread whose worker dies while the main thread is blocked in join() ends with ThreadExitError, no hang', () => {
    // The check is not vacuous: under these flags the process cannot look at its threads in /proc.
    const look = execFileSync(process.execPath, [...WITHOUT_PROC, '--no-warnings', '-e', "try { console.log(require('node:fs').existsSync('/proc/thread-self')) } catch { console.log('denied') }"], {
      encoding: 'utf8',
    });
    expect(look.trim()).toMatch(/^(false|denied)$/);
    expect(whenWorkerDies('join', WITHOUT_PROC)).toEqual({
      join: "PanicError: ThreadExitError: the thread's worker died before the thread returned (terminated, or out of memory)",
    });
  });

  it('without /proc, a lock held by a thread whose worker dies: a blocked lock() throws PoisonError, no hang', () => {
    const outcome = whenWorkerDies('lock', WITHOUT_PROC);
    expect(outcome.lock).toBe('PoisonError');
    expect(outcome.join).toContain('ThreadExitError');
  });

  it('a worker reused after a panic runs the next thread normally', () => {
    for (let round = 0; round < 20; round++) {
      expect(() => spawn(() => { throw new Error('again'); }).join()).toThrow(PanicError);
      expect(spawn(move(round), (n) => n).join()).toBe(round);
    }
  });

  it('scope raises a panic after every thread ended', () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    expect(() =>
      scope((s) => {
        s.spawn(() => {
          throw new Error('first');
        });
        s.spawn(move(shared), (word) => {
          Atomics.wait(word, 0, 0, 30);
          Atomics.store(word, 0, 1);
        });
      }),
    ).toThrow(PanicError);
    expect(Atomics.load(shared, 0)).toBe(1);
  });
});
