/**
 * The application's own modules that re-export the runtime's thread API
 * (`export { spawn } from '@sendsync/runtime'`, `export * from ...`): a call
 * of `spawn` imported from one of them is a spawn too. Read from disk, once
 * per file, when a module imports a name from a relative specifier.
 */

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseSync } from 'oxc-parser';
import type { Node } from './scope.js';

const THREAD_API = /^@sendsync\/runtime(?:\/thread)?$/;
/** How many re-exports deep a name is followed. */
const DEPTH = 4;
/** What a relative specifier may name on disk (TypeScript projects write `./x.js` for `./x.ts`). */
const CANDIDATES = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];

/** Each file's re-exports: exported name to [specifier, imported name]; `*` entries list `export *` specifiers. */
const byFile = new Map<string, ReadonlyMap<string, readonly (readonly [string, string])[]>>();

/** The runtime's export that `imported` of `specifier`, as the module `importer` imports it, re-exports; else undefined. */
export function reexportedRuntimeName(specifier: string, imported: string, importer: string, depth = DEPTH): string | undefined {
  if (depth === 0) return undefined;
  const file = resolveFile(resolve(dirname(importer), specifier));
  if (file === undefined) return undefined;
  const exports = reexportsOf(file);
  for (const [from, name] of [...(exports.get(imported) ?? []), ...(exports.get('*') ?? []).map(([from]) => [from, imported] as const)]) {
    if (THREAD_API.test(from)) return name;
    if (from.startsWith('.')) {
      const found = reexportedRuntimeName(from, name, file, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function resolveFile(path: string): string | undefined {
  const bases = /\.[cm]?js$/.test(path) ? [path, path.replace(/js$/, 'ts')] : [path];
  for (const base of bases) {
    for (const candidate of CANDIDATES) {
      if (statSync(base + candidate, { throwIfNoEntry: false })?.isFile() === true) return base + candidate;
    }
  }
  return undefined;
}

function reexportsOf(file: string): ReadonlyMap<string, readonly (readonly [string, string])[]> {
  let exports = byFile.get(file);
  if (exports !== undefined) return exports;
  const found = new Map<string, (readonly [string, string])[]>();
  exports = found;
  byFile.set(file, exports);
  const code = readFileSync(file, 'utf8');
  if (!code.includes('export')) return exports;
  const ast = parseSync(file, code, { sourceType: 'module' });
  for (const statement of (ast.program as unknown as Node).body as Node[]) {
    const source = (statement.source as Node | null | undefined)?.value as string | undefined;
    if (source === undefined) continue;
    if (statement.type === 'ExportAllDeclaration' && statement.exported === null) {
      found.set('*', [...(found.get('*') ?? []), [source, '*']]);
    } else if (statement.type === 'ExportNamedDeclaration') {
      for (const specifier of statement.specifiers as Node[]) {
        const exported = nameOf(specifier.exported as Node);
        found.set(exported, [...(found.get(exported) ?? []), [source, nameOf(specifier.local as Node)]]);
      }
    }
  }
  return exports;
}

function nameOf(node: Node): string {
  return node.type === 'Identifier' ? (node.name as string) : String(node.value);
}
