/**
 * The runtime's public modules, and which of them exports each name: a
 * closure may use the runtime's exports without importing them (as `spawn`
 * allows), and its thread module then imports them from there.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { parseSync } from 'oxc-parser';

/** The runtime's public modules, the root first. */
export const RUNTIME_SPECIFIERS = ['@sendsync/runtime', '@sendsync/runtime/sync', '@sendsync/runtime/sync/mpsc', '@sendsync/runtime/cell', '@sendsync/runtime/rc', '@sendsync/runtime/collections'];

/**
 * The names each public module exports (a name exported by two belongs to
 * the first), read on first use from the runtime's files' export
 * declarations: loading the runtime to list them would cost each build's
 * process a few hundred milliseconds, most of an esbuild build.
 */
let namesByModule: Map<string, string[]> | undefined;

export function runtimeModuleNames(): ReadonlyMap<string, readonly string[]> {
  if (namesByModule === undefined) {
    namesByModule = new Map();
    const require = createRequire(import.meta.url);
    const taken = new Set<string>();
    for (const specifier of RUNTIME_SPECIFIERS) {
      const names = [...exportedNames(require.resolve(specifier))].filter((name) => !taken.has(name));
      for (const name of names) taken.add(name);
      namesByModule.set(specifier, names);
    }
  }
  return namesByModule;
}

/** The names the module `file` exports, its `export * from` followed (the module record only: no tree is built). */
function exportedNames(file: string, into = new Set<string>(), seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return into;
  seen.add(file);
  for (const statement of parseSync(file, readFileSync(file, 'utf8'), { sourceType: 'module' }).module.staticExports) {
    for (const { exportName, importName, moduleRequest } of statement.entries) {
      // oxc's kinds are an ambient const enum: compared as strings.
      const exported: string = exportName.kind;
      const imported: string = importName.kind;
      if (exported === 'Name') into.add(exportName.name as string);
      else if (exported === 'Default') into.add('default');
      else if (imported === 'AllButDefault' && moduleRequest !== null) exportedNames(resolve(dirname(file), moduleRequest.value), into, seen);
    }
  }
  return into;
}

/** The runtime module (a specifier) of each name the runtime exports. */
export function runtimeExports(): (name: string) => string | undefined {
  let modules: Map<string, string> | undefined;
  return (name) => {
    if (modules === undefined) {
      modules = new Map();
      for (const [specifier, names] of runtimeModuleNames()) for (const each of names) modules.set(each, specifier);
    }
    return modules.get(name);
  };
}
