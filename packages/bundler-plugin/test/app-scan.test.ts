import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { context } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { appScripts } from '../dist/app-files.js';
import { scanApp, scannedFilter } from '../dist/app-scan.js';
import sendsyncEsbuild from '../dist/esbuild.js';
import { maySpawn } from '../dist/lift.js';
import { forgetReexports, hasReexports, resolveFile } from '../dist/reexports.js';

/*
 * esbuild's filter after the scan of the entries' folders: the plugin reads
 * the files whose text may spawn and the files made since, and no other file
 * the scan saw; a later build of the same context says what to do when a
 * file it saw comes to spawn.
 */

const work = realpathSync(mkdtempSync(join(tmpdir(), 'sendsync-app-scan-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const repoModules = realpathSync(new URL('../../../node_modules', import.meta.url));

/** Writes `files` (paths relative to a new folder) there; the folder. */
function folderOf(name: string, files: Record<string, string>): string {
  const root = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const SPAWNS = "import { spawn } from '@sendsync/runtime';\nexport const run = () => spawn(() => 1).join();\n";
const PLAIN = 'export const two = 2;\n';
const runtime = '/somewhere/packages/runtime/';
const read = (file: string): string => readFileSync(file, 'utf8');

describe('scannedFilter', () => {
  const root = folderOf('scan', {
    'src/main.ts': "import { run } from './spawner.js';\nimport { go } from './threads/index.js';\nrun();\n",
    'src/spawner.ts': SPAWNS,
    'src/plain.ts': PLAIN,
    'src/data.json': '{}',
    'src/threads/index.ts': "export { spawn as go } from '@sendsync/runtime';\n",
    'src/deep/user.ts': "import { go } from '../threads/index.js';\ngo(() => 1);\n",
    'src/deep/plain.ts': PLAIN,
    'src/node_modules/dep/index.js': SPAWNS,
    'src/out/main.js': SPAWNS,
  });
  const spawns = (code: string, file: string): boolean => maySpawn(code, file, hasReexports);
  forgetReexports(read);
  const scan = scanApp([join(root, 'src', 'main.ts')], [runtime, join(root, 'src', 'out') + sep], read, spawns);
  const filter = scannedFilter(scan!, runtime);
  const src = join(root, 'src');

  it('names the files whose text may spawn (re-exports of spawn included), and not the others it saw', () => {
    expect(scan).toBeDefined();
    // main.ts calls no spawn, but imports a module that re-exports names (which may be spawn's).
    for (const file of ['spawner.ts', 'deep/user.ts', 'main.ts']) expect(filter.test(join(src, file)), file).toBe(true);
    for (const file of ['plain.ts', 'deep/plain.ts', 'data.json']) expect(filter.test(join(src, file)), file).toBe(false);
  });

  it('names the files made since the scan, in its folders or new ones, and none in node_modules', () => {
    for (const file of ['new.ts', 'deep/new.ts', 'brand/new/folder.ts', 'plain.tsx']) expect(filter.test(join(src, file)), file).toBe(true);
    for (const file of ['node_modules/dep/index.js', 'node_modules/other.js', 'deep/node_modules/x.js']) expect(filter.test(join(src, file)), file).toBe(false);
  });

  it("leaves out the folders it is told not to read (the build's output), and reads nothing there", () => {
    expect(filter.test(join(src, 'out', 'main.js'))).toBe(false);
    expect(scan?.scripts.has(join(src, 'out', 'main.js'))).toBe(false);
  });

  it("names the application's scripts outside the folders it read, as appScripts does", () => {
    for (const file of [join(root, 'lib', 'a.ts'), '/elsewhere/b.js']) expect(filter.test(file), file).toBe(true);
    for (const file of [join(runtime, 'dist', 'index.js'), join(root, 'node_modules', 'x.js')]) expect(filter.test(file), file).toBe(false);
  });

  it('has no lookaround, which esbuild (Go) does not have', () => {
    expect(filter.source).not.toMatch(/\(\?[=!<]/);
  });
});

describe('appScripts of several folders', () => {
  it('leaves out each folder, and what is under it', () => {
    const pattern = appScripts(['/home/me/app/src', '/home/me/repo/packages/runtime/', '/home/me/app/src/deep']);
    for (const path of ['/home/me/app/src/a.ts', '/home/me/app/src/deep/b.ts', '/home/me/repo/packages/runtime/dist/index.js']) expect(pattern.test(path), path).toBe(false);
    for (const path of ['/home/me/app/a.ts', '/home/me/app/srcs/a.ts', '/home/me/app/lib/src/a.ts', '/home/me/repo/a.js']) expect(pattern.test(path), path).toBe(true);
  });
});

describe('resolveFile', () => {
  it("finds a folder's index only in a folder, and a file for its .js specifier", () => {
    const root = folderOf('resolve', { 'lib/index.ts': PLAIN, 'x.ts': PLAIN, 'y.js': PLAIN });
    forgetReexports(read);
    expect(resolveFile(join(root, 'lib'))).toBe(join(root, 'lib', 'index.ts'));
    expect(resolveFile(join(root, 'x.js'))).toBe(join(root, 'x.ts'));
    expect(resolveFile(join(root, 'y.js'))).toBe(join(root, 'y.js'));
    expect(resolveFile(join(root, 'missing.js'))).toBeUndefined();
  });
});

describe('an esbuild context (watch mode) with the plugin', () => {
  it('lifts a file made after the first build, and says what to do when a file it saw comes to spawn', async () => {
    const root = folderOf('watch', { 'src/main.js': "import { a } from './a.js';\nconsole.log(a());\n", 'src/a.js': 'export const a = () => 1;\n' });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(repoModules, join(root, 'node_modules'), 'dir');
    const outdir = join(root, 'out');
    const ctx = await context({ entryPoints: [join(root, 'src', 'main.js')], bundle: true, format: 'esm', platform: 'node', outdir, logLevel: 'silent', write: false, plugins: [sendsyncEsbuild()] });
    try {
      const first = await ctx.rebuild();
      expect(first.outputFiles.some((file) => file.path.includes('thread'))).toBe(false);
      // A new file that spawns, imported by the entry: read, and its closure lifted into a chunk of its own.
      writeFileSync(join(root, 'src', 'b.js'), SPAWNS);
      writeFileSync(join(root, 'src', 'main.js'), "import { a } from './a.js';\nimport { run } from './b.js';\nconsole.log(a(), run());\n");
      const second = await ctx.rebuild();
      expect(second.outputFiles.some((file) => file.path.includes('b.js.sendsync-thread-0'))).toBe(true);
      // A file the first build saw spawning nothing now spawns: the build fails, saying what to do.
      writeFileSync(join(root, 'src', 'a.js'), "import { spawn } from '@sendsync/runtime';\nexport const a = () => spawn(() => 1).join();\n");
      utimesSync(join(root, 'src', 'a.js'), new Date(), new Date(Date.now() + 5000));
      const failure = await ctx.rebuild().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(String((failure as Error | undefined)?.message)).toContain(`${join(root, 'src', 'a.js')} may spawn now, and did not when the build started`);
      expect(String((failure as Error | undefined)?.message)).toContain('esbuild: dispose of this context and make a new one');
    } finally {
      await ctx.dispose();
    }
  });
});
