/**
 * Whether this thread runs a bundled program (one built with
 * `@sendsync/bundler-plugin`), and, in a bundled worker, the runtime's
 * modules that the worker's bootstrap would otherwise import by their files.
 *
 * In a bundle a module's `import.meta.url` is the URL of the chunk it landed
 * in, not an identity: a codec's `module` may name the application's entry,
 * and importing it would run the application again. A bundled worker has the
 * runtime's codecs from its entry and the user's from the modules its threads
 * import, so the codecs' modules are never imported by URL here.
 *
 * The worker's bootstrap (worker-main.ts) reads it.
 */

/** What the bundled worker's entry (thread/bundled-worker.ts) gives the bootstrap, by module name. */
interface BundledModules {
  readonly wire: unknown;
  readonly thrown: unknown;
  readonly 'panic-hooks': unknown;
  readonly courier: unknown;
}

const bundled: {
  /** True in a bundled program: codecs' modules are not imported by URL. */
  active: boolean;
  /** In a bundled worker: the runtime's modules its bootstrap loads lazily from its own directory when unbundled. */
  modules: BundledModules | undefined;
  /**
   * In a bundled worker: thread modules the bundle loads by a name rather
   * than a URL (webpack's chunks load through its own runtime, not by URL).
   */
  readonly threadModules: Map<string, () => Promise<unknown>>;
} = { active: false, modules: undefined, threadModules: new Map() };

export default bundled;
