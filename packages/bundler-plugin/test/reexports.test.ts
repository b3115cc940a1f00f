import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forgetReexports, resolveFile } from '../dist/reexports.js';

/*
 * A relative specifier resolved as TypeScript and the bundlers resolve it,
 * from one listing of each folder (a listing of a path that is no folder
 * throws, at a cost that once came to milliseconds a build).
 */

const work = mkdtempSync(join(tmpdir(), 'sendsync-reexports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('resolveFile', () => {
  it("finds a folder's index only in a folder, and a file for its .js specifier", () => {
    for (const file of ['lib/index.ts', 'x.ts', 'y.js']) {
      mkdirSync(join(work, file, '..'), { recursive: true });
      writeFileSync(join(work, file), 'export const two = 2;\n');
    }
    forgetReexports((file) => readFileSync(file, 'utf8'));
    expect(resolveFile(join(work, 'lib'))).toBe(join(work, 'lib', 'index.ts'));
    expect(resolveFile(join(work, 'x.js'))).toBe(join(work, 'x.ts'));
    expect(resolveFile(join(work, 'y.js'))).toBe(join(work, 'y.js'));
    expect(resolveFile(join(work, 'missing.js'))).toBeUndefined();
  });
});
