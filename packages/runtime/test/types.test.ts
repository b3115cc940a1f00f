import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The runtime's types: the Send/Sync rows of every type as DESIGN.md's table
 * states them, and the misuse `tsc` must reject. `fixtures/thread/types.ts`,
 * `fixtures/sync/rows.ts` and `fixtures/mpsc/rows.ts` hold what must compile
 * and, under `@ts-expect-error`, what must not (an unneeded directive is an
 * error too, so both directions are checked); an `Assert` that fails fails the
 * test. Under TypeScript 6 and 7, as a user runs `tsc`.
 */

const project = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tsconfig.types.json');
const require = createRequire(import.meta.url);

function check(compiler: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [compiler, '-p', project], { encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('runtime types: Send/Sync rows and compile-time misuse', () => {
  it('accepts and rejects what it must under TypeScript 6', () => {
    expect(check(require.resolve('typescript/bin/tsc'))).toEqual({ status: 0, output: '' });
  }, 100_000);

  it('accepts and rejects what it must under TypeScript 7', () => {
    expect(check(join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc'))).toEqual({ status: 0, output: '' });
  }, 100_000);
});
