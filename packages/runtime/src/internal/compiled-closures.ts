/**
 * In a thread: the spawning module of each closure the thread compiled, by
 * the name its stack frames give its code. A thread that spawns from its
 * closure (a pool whose jobs spawn sub-jobs) finds its spawning module on its
 * stack (closure-site.ts), and the closure's frames name no module the
 * thread loaded: the file the user wrote (compiled at its place, through
 * `host.compileFunction`: a source file when the module runs from a
 * compiler's output with source maps), or, for a text laid out otherwise
 * (tsx, Deno) or not found in its file, `<file>#thread-closure-N` as an
 * eval's source URL, whose frames have no file name on V8.
 */

import type { ClosureSite, ImportToBind } from './task.js';

/** What a thread's compiled code stands for: the spawning module, the file its closures stand in, and the imports they bind. */
export interface CompiledModule {
  readonly url: string;
  readonly file: string;
  /** The imports the closures compiled from this file bind, by local name (all the same module's). */
  readonly imports: ReadonlyMap<string, ImportToBind>;
}

/** The fragment in the source URL of a closure compiled with a source map or not found in its file (see closure.ts's `makeFactory`). */
export const CLOSURE_FRAGMENT = '#thread-closure-';

/** A file's entry: its closures' spawning module and their imports. */
interface Entry {
  readonly url: string;
  readonly file: string;
  readonly imports: Map<string, ImportToBind>;
}

/** Where the entries are kept, by `site.file`: one entry per file, so that a worker compiling many closures keeps as many entries as files. */
const SLOT = Symbol.for('sendsync.compiledClosures');
/**
 * On a global symbol, since the worker's bootstrap (which compiles the
 * closures) is bundled with a copy of this module and the runtime's modules
 * (whose `spawn` asks) import another; a thread's end leaves it (see
 * worker-main.ts's `removeAddedGlobals`): the worker's compiled closures
 * outlive their thread. Made on first use: a fresh worker makes no object it
 * does not need before its first thread runs.
 */
const slot = globalThis as { [SLOT]?: Map<string, Entry> };

/**
 * Notes that this thread compiled a closure of `site`, whose frames name
 * `site.file` (or it with a fragment). Its imports join those of the file's
 * other closures: they are the same module's, and a closure spawned inside
 * a closure's text uses no import that the closure around it does not.
 */
export function closureCompiledFrom(site: ClosureSite): void {
  const compiled = (slot[SLOT] ??= new Map<string, Entry>());
  let entry = compiled.get(site.file);
  if (entry === undefined || entry.url !== site.module) compiled.set(site.file, (entry = { url: site.module, file: site.file, imports: new Map() }));
  for (const binding of site.imports) entry.imports.set(binding.local, binding);
}

/** The module that a frame naming `file` (a URL: a file name, or an eval's source URL) stands for, when it is a closure this thread compiled. */
export function compiledModuleOf(file: string): CompiledModule | undefined {
  const at = file.lastIndexOf(CLOSURE_FRAGMENT);
  return slot[SLOT]?.get(at === -1 ? file : file.slice(0, at));
}
