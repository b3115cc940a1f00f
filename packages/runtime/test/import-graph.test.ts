import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The part of madge's API this test uses (madge ships no types). */
interface Graph {
  obj(): Record<string, string[]>;
  circular(): string[][];
  warnings(): { skipped: string[] };
}
const madge = createRequire(import.meta.url)('madge') as (path: string, config: object) => Promise<Graph>;

const source = fileURLToPath(new URL('../src', import.meta.url));

// Imports point down the layers (see CONTRIBUTING.md), so the module graph has no cycle: type-only
// imports count too, since a reader must still understand both modules at once.
describe('the import graph of packages/runtime/src', { timeout: 60_000 }, () => {
  it('has no cycle', async () => {
    const graph = await madge(source, {
      fileExtensions: ['ts', 'cts'],
      tsConfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
    });
    const modules = graph.obj();
    // Every module was read and its imports resolved (`./x.js` to x.ts, `./x.cjs` to x.cts): the check is not vacuous.
    expect(Object.keys(modules).length).toBeGreaterThan(60);
    expect(graph.warnings().skipped).toEqual([]);
    expect(modules['internal/pool.ts']).toContain('internal/protocol.cts');
    expect(modules['sync/mutex.ts']).toContain('sync/storage.ts');
    expect(graph.circular()).toEqual([]);
  });
});
