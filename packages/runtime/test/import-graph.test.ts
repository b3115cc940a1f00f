import { readFileSync, readdirSync } from 'node:fs';
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
  ['host', /^host\//],
  ['protocol', /^(internal\/(protocol|mailbox|task|thrown|wire|backstop|type-name|serializer|utf16|bundled)\.ts|codec\.ts|sync\/storage-types\.ts|[a-z-]+-error\.ts)$/],
  ['system', /^(internal\/|sys\/|sync\/es2024\.ts$)/],
  ['primitives', /^(sync\/|cell\/|rc\/|collections\/)/],
  ['thread API', /^(thread\/|index\.ts$)/],
];

/** What only Node has: a `node:` module (imported, type-imported or required), or its `Buffer` and `process` globals (also as `globalThis.process`). */
const NODE_ONLY = /\b(?:from|import)\s*['"]node:|\b(?:import|require)\(\s*['"]node:|(?:(?<![\w$.])|\bglobalThis\??\.)(?:Buffer|process)\b/;

/** `source` without its comments (roughly: a `//` inside a string cuts the line short, which only hides more). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/** Every source file under src/, as a path relative to it. */
function sourceFiles(): string[] {
  return readdirSync(source, { recursive: true, encoding: 'utf8' }).filter((file) => /\.c?ts$/.test(file));
}

/** A module as madge names it, with `#host` (which madge resolves to the built Node adapter) named by its source. */
function sourceName(module: string): string {
  return module.replace(/^\.\.\/dist\/(host\/[\w-]+)\.js$/, '$1.ts');
}

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
    // Every module was read and its imports resolved (`./x.js` to x.ts, `#host` to the host's adapter): the check is not vacuous.
    expect(Object.keys(modules).length).toBeGreaterThan(60);
    // (madge's resolver skips a package's subpath export, `es-module-lexer/js`: a dependency, outside the graph anyway.)
    expect(graph.warnings().skipped.filter((specifier) => specifier.startsWith('.') || specifier.startsWith('#'))).toEqual([]);
    expect(modules['internal/pool.ts']).toContain('internal/protocol.ts');
    expect(modules['internal/pool.ts'].map(sourceName)).toContain('host/node.ts');
    expect(modules['sync/mutex.ts']).toContain('sync/storage.ts');
    expect(graph.circular()).toEqual([]);
  });

  it('points down the layers: no module imports one of a higher layer', async () => {
    const modules = (await importGraph()).obj();
    const ours = Object.keys(modules).filter((module) => !module.startsWith('../'));
    expect(ours.filter((module) => layerOf(module) < 0)).toEqual([]);
    const upward = ours.flatMap((module) =>
      modules[module]
        .map(sourceName)
        .filter((target) => !target.startsWith('../') && layerOf(target) > layerOf(module))
        .map((target) => `${module} (${LAYERS[layerOf(module)][0]}) imports ${target} (${LAYERS[layerOf(target)][0]})`),
    );
    expect(upward).toEqual([]);
  });

  it("uses Node's own modules and globals in the host layer only", () => {
    const files = sourceFiles();
    expect(files).toContain('host/node.ts');
    const nodeOnly = files.filter((file) => NODE_ONLY.test(withoutComments(readFileSync(`${source}/${file}`, 'utf8'))));
    // The Node adapter is found (the check sees an import when there is one), and nothing else.
    expect(nodeOnly).toContain('host/node.ts');
    expect(nodeOnly.filter((file) => file !== 'host/node.ts')).toEqual([]);
  });
});
