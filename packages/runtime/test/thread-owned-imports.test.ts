import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';

/*
 * While a closure's import() is pending, the closure runs on (after an await, in a callback) beside the module's
 * evaluation: what the closure makes then is the thread's, dropped at its end, and what the module's top level makes
 * (through a helper, after a top-level await) is the worker's, which later threads on that worker still use.
 */

describe("handles made while a closure's import() is pending", { timeout: 60_000 }, () => {
  it("the closure's are the thread's, the module's top level's are the worker's", async () => {
    const made = new Arc(0);
    // As a URL: vitest rewrites a literal relative import() in a test file to a path from its root.
    const module = new URL('./fixtures/sync/imported-arc-late.mjs', import.meta.url).href;
    // Sequential spawns reuse the pool's idle workers: most of these threads import a module their worker loaded before.
    for (let index = 0; index < 16; index++) {
      const labels = await spawn(move(made.clone(), module), async (made, module) => {
        const pending = import(module) as Promise<{ importedArc: Arc<{ label: string }>; lateArc: Arc<{ label: string }> }>;
        made.clone();
        await Promise.resolve();
        made.clone();
        const [{ importedArc, lateArc }] = await Promise.all([pending, Promise.resolve().then(() => made.clone())]);
        return [importedArc.value.label, lateArc.value.label];
      }).joinAsync();
      expect(labels).toEqual(['made by a helper', 'made after a top-level await']);
      expect(made.strongCount()).toBe(1);
    }
  });
});

/*
 * The same on Deno and Bun, whose stack frames do not say where a function starts (Node's do): there the closure's
 * frames are told by where the closure stands in its file (see internal/module-top-level.ts), in plain JavaScript
 * (compiled at its place) and in TypeScript (each host's own transpiler). Before, nothing made while an import() was
 * pending was noted there: the closure's clones outlived its thread, and the count grew by up to 3 each spawn. The
 * closure also requires a CommonJS module meanwhile, whose top level runs above the closure's own frame: its Arc is
 * the worker's (a rule that looked at the job's first frame only would drop it, and later rounds would read a dropped
 * Arc).
 */
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const hosts = fileURLToPath(new URL('./fixtures/hosts/', import.meta.url));
const HOSTS = {
  Deno: [join(repository, 'node_modules', '.bin', 'deno'), 'run', `--allow-read=${repository}`],
  Bun: [join(repository, 'node_modules', '.bin', 'bun')],
} as const;

describe.each(Object.keys(HOSTS) as (keyof typeof HOSTS)[])("handles made while a closure's import() is pending, on %s", (host) => {
  it.each(['owned-imports.mjs', 'owned-imports-ts.ts'])("the closure's are the thread's, the module's top level's are the worker's (%s)", (file) => {
    const [command, ...args] = HOSTS[host];
    const output = execFileSync(command, [...args, join(hosts, file)], { cwd: hosts, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NO_COLOR: '1' } });
    const rounds = JSON.parse(output) as { labels: string[]; strongCount: number }[];
    expect(rounds).toEqual(Array.from({ length: 16 }, () => ({ labels: ['made by a helper', 'made after a top-level await', 'made by a required module'], strongCount: 1 })));
  }, 200_000);
});
