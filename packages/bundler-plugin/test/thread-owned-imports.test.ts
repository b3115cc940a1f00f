import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, type Bundler } from './builders.js';

/*
 * What a lifted closure makes while its import() is pending is the thread's, dropped at its end; what the imported
 * module's top level makes then is the worker's (the runtime's rule for closures that cross as source text, see its
 * internal/thread-owned.ts). The app in fixtures/owned-imports, built with the plugin (its import() split into a
 * chunk of the bundle), run on Node and on Bun. Before, the plugin's thread module left the import() untracked: the
 * module's Arcs were taken for the thread's and dropped at its end, and the next thread on that worker read a dropped
 * Arc (on Node and Bun alike); and on Bun, whose stack frames do not say where a function starts, every frame in the
 * bundle's folder was taken for the runtime's, the imported chunk's top level included.
 */

const app = fileURLToPath(new URL('./fixtures/owned-imports/main.js', import.meta.url));
const repository = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sendsync-owned-imports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOSTS = {
  Node: [process.execPath],
  Bun: [join(repository, 'node_modules', '.bin', 'bun')],
} as const;
const EXPECTED = Array.from({ length: 16 }, () => ({ labels: ['made by a helper', 'made after a top-level await'], strongCount: 1 }));

describe.each(['esbuild', 'rollup'] as Bundler[])("handles made while a lifted closure's import() is pending, built by %s", (bundler) => {
  const outDir = join(work, bundler);
  it.each(Object.keys(HOSTS) as (keyof typeof HOSTS)[])("the closure's are the thread's, the module's top level's are the worker's, on %s", async (host) => {
    await buildApp(bundler, app, outDir);
    const [command, ...args] = HOSTS[host];
    const child = spawnSync(command, [...args, join(outDir, 'main.js')], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(EXPECTED);
  }, 240_000);
});
