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

/**
 * The layers of the runtime, lowest first, as CONTRIBUTING.md draws them: a
 * module is in the first layer whose pattern matches its path under src/.
 */
const LAYERS: readonly (readonly [name: string, path: RegExp])[] = [
  ['protocol', /^(internal\/(protocol|mailbox|task|thrown|wire|backstop|type-name|bundled)\.c?ts|codec\.ts|sync\/storage-types\.ts|[a-z-]+-error\.ts)$/],
  ['host', /^(internal\/|sys\/|sync\/es2024\.ts$)/],
  ['primitives', /^(sync\/|cell\/|rc\/|collections\/)/],
  ['thread API', /^(thread\/|index\.ts$)/],
];

function layerOf(module: string): number {
  return LAYERS.findIndex(([, path]) => path.test(module));
}

let graph: Promise<Graph> | undefined;

/** The graph, read once for both tests. */
function importGraph(): Promise<Graph> {
  graph ??= madge(source, {
    fileExtensions: ['ts', 'cts'],
    tsConfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  });
  return graph;
}

// Imports point down the layers (see CONTRIBUTING.md), so the module graph has no cycle: type-only
// imports count too, since a reader must still understand both modules at once.
describe('the import graph of packages/runtime/src', { timeout: 60_000 }, () => {
  it('has no cycle', async () => {
    const graph = await importGraph();
    const modules = graph.obj();
    // Every module was read and its imports resolved (`./x.js` to x.ts, `./x.cjs` to x.cts): the check is not vacuous.
    expect(Object.keys(modules).length).toBeGreaterThan(60);
    expect(graph.warnings().skipped).toEqual([]);
    expect(modules['internal/pool.ts']).toContain('internal/protocol.cts');
    expect(modules['sync/mutex.ts']).toContain('sync/storage.ts');
    expect(graph.circular()).toEqual([]);
  });

  it('points down the layers: no module imports one of a higher layer', async () => {
    const modules = (await importGraph()).obj();
    const ours = Object.keys(modules).filter((module) => !module.startsWith('../'));
    expect(ours.filter((module) => layerOf(module) < 0)).toEqual([]);
    const upward = ours.flatMap((module) =>
      modules[module]
        .filter((target) => !target.startsWith('../') && layerOf(target) > layerOf(module))
        .map((target) => `${module} (${LAYERS[layerOf(module)][0]}) imports ${target} (${LAYERS[layerOf(target)][0]})`),
    );
    expect(upward).toEqual([]);
  });
});
