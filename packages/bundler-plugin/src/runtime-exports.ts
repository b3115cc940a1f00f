/**
 * The runtime's public modules, and which of them exports each name: a
 * closure may use the runtime's exports without importing them (as `spawn`
 * allows), and its thread module then imports them from there.
 */

import { createRequire } from 'node:module';

/** The runtime's public modules, the root first. */
export const RUNTIME_SPECIFIERS = ['@sendsync/runtime', '@sendsync/runtime/sync', '@sendsync/runtime/sync/mpsc', '@sendsync/runtime/cell', '@sendsync/runtime/rc', '@sendsync/runtime/collections'];

/** The names each public module exports (a name exported by two belongs to the first), read from the runtime itself on first use. */
let namesByModule: Map<string, string[]> | undefined;

export function runtimeModuleNames(): ReadonlyMap<string, readonly string[]> {
  if (namesByModule === undefined) {
    namesByModule = new Map();
    const require = createRequire(import.meta.url);
    const taken = new Set<string>();
    for (const specifier of RUNTIME_SPECIFIERS) {
      const names = Object.keys(require(specifier) as object).filter((name) => !taken.has(name));
      for (const name of names) taken.add(name);
      namesByModule.set(specifier, names);
    }
  }
  return namesByModule;
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
