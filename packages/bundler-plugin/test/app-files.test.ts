import { describe, expect, it } from 'vitest';
import { appScripts, exactPath } from '../dist/app-files.js';

describe('appScripts', () => {
  const runtime = '/home/me/repo/packages/runtime/';
  const pattern = appScripts(runtime);

  it("matches the application's scripts, TypeScript and JSX included", () => {
    for (const path of ['/home/me/app/src/main.ts', '/home/me/app/main.mjs', '/home/me/app/a/b/c/view.tsx', '/x.cjs', '/home/me/repo/packages/app/index.js']) expect(pattern.test(path), path).toBe(true);
  });

  it('leaves out every folder named node_modules, and only those', () => {
    for (const path of ['/home/me/app/node_modules/react/index.js', '/node_modules/x.js', '/home/me/app/node_modules/@scope/pkg/dist/a/b.mjs']) expect(pattern.test(path), path).toBe(false);
    for (const path of ['/home/me/app/node_modules.js', '/home/me/app/my_node_modules/a.js', '/home/me/app/node_modules_old/a.js', '/home/me/app/node_module/a.js']) expect(pattern.test(path), path).toBe(true);
  });

  it("leaves out the runtime's folder, not its neighbours", () => {
    for (const path of ['/home/me/repo/packages/runtime/dist/index.js', '/home/me/repo/packages/runtime/x.ts']) expect(pattern.test(path), path).toBe(false);
    for (const path of ['/home/me/repo/packages/runtime-extra/a.js', '/home/me/repo/packages/runtime.js', '/home/me/repo/packages/run/a.js', '/home/me/repo/a.js', '/home/me/repo/packages/x/runtime/a.js']) expect(pattern.test(path), path).toBe(true);
  });

  it('reads both separators (Windows paths)', () => {
    const windows = appScripts('C:\\Users\\me\\repo\\packages\\runtime\\');
    expect(windows.test('C:\\Users\\me\\app\\src\\main.ts')).toBe(true);
    expect(windows.test('C:\\Users\\me\\repo\\packages\\runtime\\dist\\index.js')).toBe(false);
    expect(windows.test('C:\\Users\\me\\app\\node_modules\\react\\index.js')).toBe(false);
  });

  it('leaves out what is not a script', () => {
    for (const path of ['/home/me/app/src/style.css', '/home/me/app/index.html', '/home/me/app/src/data.json', '/home/me/app/src/main.ts.map']) expect(pattern.test(path), path).toBe(false);
  });

  it('has no lookaround, which the bundlers that match it (Go, Rust) do not have', () => {
    expect(pattern.source).not.toMatch(/\(\?[=!<]/);
  });

  it('installed under node_modules, the runtime is left out with it', () => {
    const installed = appScripts('/home/me/app/node_modules/@sendsync/runtime/');
    expect(installed.test('/home/me/app/node_modules/@sendsync/runtime/dist/index.js')).toBe(false);
    expect(installed.test('/home/me/app/src/main.ts')).toBe(true);
  });
});

describe('exactPath', () => {
  it('matches the path and nothing else', () => {
    const pattern = exactPath('/a/b-c/d.js');
    expect(pattern.test('/a/b-c/d.js')).toBe(true);
    expect(pattern.test('/a/b-c/dxjs')).toBe(false);
    expect(pattern.test('/x/a/b-c/d.js')).toBe(false);
  });
});
