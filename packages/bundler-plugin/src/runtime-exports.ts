/**
 * The runtime's public modules, and which of them exports each name: a
 * closure may use the runtime's exports without importing them (as `spawn`
 * allows), and its thread module then imports them from there.
 */

import { createRequire } from 'node:module';

/** The runtime's public modules, the root first. */
export const RUNTIME_SPECIFIERS = ['@sendsync/runtime', '@sendsync/runtime/sync', '@sendsync/runtime/sync/mpsc', '@sendsync/runtime/cell', '@sendsync/runtime/rc', '@sendsync/runtime/collections'];

/** The runtime module (a specifier) of each name the runtime exports, read from the runtime itself once a closure needs it. */
export function runtimeExports(): (name: string) => string | undefined {
  let modules: Map<string, string> | undefined;
  return (name) => {
    if (modules === undefined) {
      modules = new Map();
      const require = createRequire(import.meta.url);
      for (const specifier of RUNTIME_SPECIFIERS) {
        for (const each of Object.keys(require(specifier) as object)) if (!modules.has(each)) modules.set(each, specifier);
      }
    }
    return modules.get(name);
  };
}
