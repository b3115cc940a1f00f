// @ts-check
/**
 * Generates the lint corpus: a small TypeScript project of `files` modules
 * written against the runtime's API the way users write threaded code
 * (spawn sites with `move(...)` captures, `using` guards, channels, atomics,
 * scoped threads), one file in ten with a mistake the plugin reports.
 *
 * It lives in a temporary folder, outside the repository (so that the
 * repository's own `npm run lint` never sees it), with a `node_modules` link
 * to the repository's, so that `@sendsync/runtime` and its types resolve.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** The compiler options of the corpus: the repository's, without emit. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023', 'ESNext.Disposable'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
};

/**
 * Module i of the corpus: scoped threads that borrow locks and atomics,
 * values moved into threads, `using` guards, a channel.
 * @param {number} i
 */
function moduleSource(i) {
  const mistake = i % 10 === 9;
  const last = mistake
    ? `const label = 'job-${i}';
  // A mistake the plugin reports: \`label\` is captured without being moved.
  const doubled = spawn(move(rows), (rows) => rows * 2 + label.length).join();`
    : `const doubled = spawn(move(rows), (rows) => rows * 2).join();`;
  return `import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { AtomicU32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

/** Settings of job ${i}. */
export interface Settings${i} {
  readonly retries: number;
  readonly tags: readonly string[];
  readonly limits: { readonly cpu: number; readonly memory: number };
}

const defaults${i}: Settings${i} = { retries: ${i % 7}, tags: ['a', 'b'], limits: { cpu: 1, memory: ${i} } };

/** Adds the inputs on two threads under a mutex, counting the threads. */
export function sum${i}(inputs: number[], settings: Settings${i} = defaults${i}): number {
  const total = new Mutex(0);
  const calls = new AtomicU32(0);
  const halves = [inputs.slice(0, inputs.length >> 1), inputs.slice(inputs.length >> 1)];
  scope((s) => {
    for (const half of halves) {
      s.spawn(borrow(total, calls, settings), move(half), (total, calls, settings, half) => {
        let local = 0;
        for (const value of half) local += value * settings.limits.cpu;
        using guard = total.lock();
        guard.value += local;
        calls.fetchAdd(1, Ordering.Relaxed);
      });
    }
  });
  using guard = total.lock();
  return guard.value + calls.load(Ordering.Relaxed);
}

/** Sends the squares of 0..count-1 through a channel and collects them. */
export function squares${i}(count: number): number[] {
  const [tx, rx] = channel<number>();
  const producer = spawn(move(tx, count), (tx, count) => {
    for (let k = 0; k < count; k++) tx.send(k * k);
  });
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(rx.recv());
  producer.join();
  return out;
}

/** One thread writes a shared table while others read it. */
export function table${i}(rows: number): number {
  const table = new RwLock<number[]>(Array.from({ length: rows }, (_, k) => k));
  const seen = new AtomicU32(0);
  scope((s) => {
    for (const writer of [true, false, false]) {
      s.spawn(borrow(table, seen), move(writer), (table, seen, writer) => {
        if (writer) {
          using guard = table.write();
          guard.value.push(${i});
        } else {
          using guard = table.read();
          seen.fetchMax(guard.value.length, Ordering.Relaxed);
        }
      });
    }
  });
  ${last}
  return doubled + seen.load(Ordering.Relaxed);
}
`;
}

/**
 * Writes a corpus of `files` modules into a fresh temporary folder.
 * @param {number} files
 * @returns {{ dir: string, files: number, mistakes: number, remove(): void }}
 */
export function writeCorpus(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sendsync-lint-corpus-'));
  symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lint-corpus', private: true, type: 'module' }) + '\n');
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2) + '\n');
  mkdirSync(path.join(dir, 'src'));
  for (let i = 0; i < files; i++) writeFileSync(path.join(dir, 'src', `job-${String(i).padStart(3, '0')}.ts`), moduleSource(i));
  return { dir, files, mistakes: Math.floor(files / 10), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
