import { describe, expect, it } from 'vitest';
import { RUNTIME_SPECIFIERS, runtimeExports, runtimeModuleNames } from '../dist/runtime-exports.js';

describe("the runtime's exports, read from its files' export declarations", () => {
  it('are the names each public module exports as it loads, each under the first module that exports it', async () => {
    const taken = new Set<string>();
    for (const specifier of RUNTIME_SPECIFIERS) {
      const loaded = Object.keys((await import(specifier)) as object).filter((name) => !taken.has(name));
      for (const name of loaded) taken.add(name);
      expect([...(runtimeModuleNames().get(specifier) ?? [])].sort(), specifier).toEqual(loaded.sort());
    }
  });

  it('name the module a closure imports a runtime name from', () => {
    const moduleOf = runtimeExports();
    expect(moduleOf('current')).toBe('@sendsync/runtime');
    expect(moduleOf('Mutex')).toBe('@sendsync/runtime/sync');
    expect(moduleOf('channel')).toBe('@sendsync/runtime/sync/mpsc');
    expect(moduleOf('RefCell')).toBe('@sendsync/runtime/cell');
    expect(moduleOf('notAnExport')).toBeUndefined();
  });
});
