import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The runtime on every host it supports, each from its npm package: Deno and
 * Bun (this workspace's devDependencies), Node 22 and 24 (through npx, as
 * `node` is also the name of the Node running these tests), and the Node
 * running these tests. Each runs the
 * README's quick start (TypeScript with native `using`: not Node 22, whose
 * engine has no `using`), a pipeline of threads, a Mutex, a channel and a
 * panicking thread, a thread that ends its worker while the main thread is
 * blocked on it, and messages holding shared memory of their own through the
 * courier (fixtures/hosts/courier.mjs), and threads that spawn threads
 * calling an import (fixtures/hosts/nested-spawn.*). Deno runs with read access to the repository only: no
 * `--allow-all`, and no `/proc` (the runtime's watcher thread sees deaths).
 * Deno under the `browser` condition runs the runtime's web adapter on its
 * Web Workers.
 */

const repository = fileURLToPath(new URL('../../..', import.meta.url));
const hosts = fileURLToPath(new URL('./fixtures/hosts/', import.meta.url));
const bin = (name: string): string => join(repository, 'node_modules', '.bin', name);

/** How each host runs a file: its command and the arguments before the file. */
const HOSTS = {
  'the Node running these tests': [process.execPath],
  'Node 22': ['npx', '-y', 'node@22'],
  'Node 24': ['npx', '-y', 'node@24'],
  Deno: [bin('deno'), 'run', `--allow-read=${repository}`],
  Bun: [bin('bun')],
} as const;
type Host = keyof typeof HOSTS;
/** Deno with the `browser` condition: the runtime's web adapter over Deno's Web Workers (no synchronous receive, no exit event). */
const DENO_WEB = [bin('deno'), 'run', `--allow-read=${repository}`, '--conditions=browser'];

/** The README's quick start program: its TypeScript block that spawns and scopes threads. */
function quickStart(): string {
  const readme = readFileSync(join(repository, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start in your project\n'));
  const program = [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]).find((code) => code.includes('scope((s)'));
  if (program === undefined) throw new Error("README.md's quick start has no TypeScript program with scope((s) => …)");
  return program;
}

/** What `file` (in fixtures/hosts) prints on `host`. */
function run(host: Host | readonly string[], file: string): string {
  const [command, ...args] = typeof host === 'string' ? HOSTS[host] : host;
  return execFileSync(command, [...args, join(hosts, file)], {
    cwd: hosts,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe.each(Object.keys(HOSTS) as Host[])('on %s', { timeout: 400_000 }, (host) => {
  it('runs a pipeline: threads, a Mutex, a channel, a panicking thread, joinAsync', () => {
    expect(JSON.parse(run(host, 'pipeline.mjs'))).toEqual({
      received: 300,
      sum: 3 * 5050 + 100 * (0 + 1000 + 2000),
      locked: 3 * 5050,
      panic: 'RangeError: out of range',
      asyncResult: 21,
    });
  });

  it('messages holding shared memory of their own reach their receiver through the courier (named lines on Node, ports on Deno and Bun), and handles join a lock that crossed', () => {
    // A BroadcastChannel (Node's lines) carries no port: there a Receiver beside an Arc crosses as its heap form, and a
    // running thread's JoinHandle beside an Arc leaves its port behind (its result comes through the courier).
    expect(JSON.parse(run(host, 'courier.mjs'))).toEqual({
      afterBuilder: [5, 5],
      afterBuilderCount: 1,
      toMain: { sum: 2 * 4950, strongCount: 1 },
      requestReply: { sums: [0, 1, 2, 3].map((id) => 2 * (id * 1000 * 50 + (49 * 50) / 2)), strongCount: 1 },
      pool: { eachOnce: true, data: 1, receiver: 1 },
      mixed: { outcome: 'sent', received: 41 + 1 + 1, strongCount: 1 },
      mixedJoinHandle: { outcome: 'sent', joined: 21 + 2, strongCount: 1 },
      lockTable: { adder: 4 * 10, sum: 10 * (0 + 100 + 200 + 300) + 4 * 45 + 4 * 10 },
      linesLeft: 'bounded',
    });
  });

  it('loads every subpath with no permission beyond reading the project (Deno: no --allow-env), and a RefCell tracks borrows outside production', () => {
    expect(JSON.parse(run(host, 'subpaths.mjs'))).toEqual({ loaded: true, trackBorrows: true, conflict: 'already mutably borrowed (borrowed at subpaths.mjs)' });
  });

  it('a thread that ends its worker while the main thread is blocked in lock(), then join(): PoisonError, then ThreadExitError, no hang', () => {
    expect(JSON.parse(run(host, 'thread-exits.mjs'))).toEqual({ lock: 'PoisonError', join: 'PanicError: ThreadExitError' });
  });

  it('threads spawn threads that call an import, two levels deep, and scoped sub-jobs (plain JavaScript)', () => {
    expect(JSON.parse(run(host, 'nested-spawn.mjs'))).toEqual({ nested: 40, jobs: [2, 4, 6] });
  });
});

// Node 22's engine has no `using`: there the quick start runs as tsc's output (see packaging/).
describe.each(['Node 24', 'Deno', 'Bun'] as const)('on %s', { timeout: 400_000 }, (host) => {
  it("runs the README's quick start as written (TypeScript, native `using`)", () => {
    mkdirSync(join(hosts, '.out'), { recursive: true });
    writeFileSync(join(hosts, '.out', 'quick-start.ts'), quickStart());
    expect(run(host, '.out/quick-start.ts')).toBe('length: 3\n');
  });

  it('a panic inside a native `using` block poisons its lock, as in Rust (the thread puts a catch after the declaration that tells the guard: the engine does not), a RecvError leaving one does not; a guard still held is poisoned', () => {
    expect(JSON.parse(run(host, 'using-panic.ts'))).toEqual({ poisonedByUsing: true, stillHeld: true, errValue: false });
  });

  it('threads spawn threads that call an import, two levels deep, in TypeScript run as written (a closure compiled with a source URL of its file)', () => {
    expect(JSON.parse(run(host, 'nested-spawn.ts'))).toEqual({ nested: 40, jobs: [2, 4, 6] });
  });
});

describe('the web adapter, on Deno with the browser condition (Web Workers, no synchronous receive on a port)', { timeout: 400_000 }, () => {
  it('runs the pipeline; a result that comes by message is awaited with joinAsync, and join() of one throws WouldBlockError naming it', () => {
    expect(JSON.parse(run(DENO_WEB, 'web-pipeline.mjs'))).toEqual({
      received: 300,
      sum: 3 * 5050 + 100 * (0 + 1000 + 2000),
      locked: 3 * 5050,
      panic: 'RangeError: out of range',
      object: { n: 21 },
      blockingJoin: 'cannot block on this thread for a result that comes by message; use joinAsync',
    });
  });

  it('takes messages holding shared memory from a thread with for await, through the courier; tryRecv of one throws WouldBlockError and keeps it', () => {
    const order = Array.from({ length: 10 }, (_, i) => `arc atomic ${i}`).join(' ');
    expect(JSON.parse(run(DENO_WEB, 'web-courier.mjs'))).toEqual({ tryRecv: 'WouldBlockError', order, atomics: 50 });
  });

  it("reads the spawning module's imports in the thread (no synchronous read where it was spawned): binds an import, refuses a module's own name in spawn's words", () => {
    expect(JSON.parse(run(DENO_WEB, 'web-imports.mjs'))).toEqual({
      imported: 42,
      refused:
        'TypeError: spawn: the closure uses `local`, declared in web-imports.mjs itself, which a thread cannot see: ' +
        'move it to its own module and import it there, or move(...) it in if it is Send data',
    });
  });
});
