/**
 * A bundle's worker entry: the runtime's public modules whose codecs its
 * threads may need, then the runtime's bootstrap for a bundle
 * (`@sendsync/runtime/internal/bundled-worker`, which has the root module's).
 * A value reaches a thread only if its class is in the bundle, so the
 * runtime's modules the bundle holds are enough: bundling the others would
 * only cost the build. Where the bundler builds the worker before it knows
 * the whole bundle, the entry names every one.
 */

import { RUNTIME_SPECIFIERS } from './runtime-exports.js';
import { inRuntimeDist } from './runtime-files.js';

/** The bootstrap for a bundle's workers (the runtime's contract with this plugin). */
export const BUNDLED_WORKER = '@sendsync/runtime/internal/bundled-worker';
/** The runtime's modules with codecs of their own, beside the root module's (which the bootstrap loads). */
export const CODEC_MODULES: readonly string[] = RUNTIME_SPECIFIERS.filter((specifier) => specifier !== '@sendsync/runtime');

/** An import of one of the runtime's modules, as a thread module's text writes it. */
const RUNTIME_IMPORT = /\bfrom\s*"(@sendsync\/runtime(?:\/[\w/]+)?)"/g;

/** The worker entry's code: `before` (a bundler's own preamble), the codec modules (by default all), then the bootstrap. */
export function workerEntry(codecModules: Iterable<string> = CODEC_MODULES, before = ''): string {
  return `${before}${[...codecModules, BUNDLED_WORKER].map((specifier) => `import ${JSON.stringify(specifier)};\n`).join('')}`;
}

/** The codec module (a specifier) that the file `file` is, if it is one. */
export function codecModuleAt(file: string): string | undefined {
  const inDist = inRuntimeDist(file);
  const specifier = inDist === undefined ? undefined : `@sendsync/runtime/${inDist.replace(/\/?index\.js$/, '')}`;
  return specifier !== undefined && CODEC_MODULES.includes(specifier) ? specifier : undefined;
}

/**
 * The codec modules a bundle holds: the runtime's modules among the files
 * it built, and those its thread modules import (their chunks load in a
 * worker only when it runs one of their threads, and a value may come to
 * another thread).
 */
export function codecModulesOf(files: Iterable<string>, threadCodes: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    const codec = codecModuleAt(file);
    if (codec !== undefined) found.add(codec);
  }
  for (const code of threadCodes) for (const [, specifier] of code.matchAll(RUNTIME_IMPORT)) if (CODEC_MODULES.includes(specifier)) found.add(specifier);
  return found;
}
