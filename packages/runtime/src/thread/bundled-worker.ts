/**
 * The worker bootstrap of a bundled program, as `@sendsync/bundler-plugin`
 * builds it into the bundle (`@sendsync/runtime/internal/bundled-worker`):
 * the runtime's own bootstrap (internal/worker-main.ts), given first the
 * modules it would otherwise import from its own directory, and the
 * codecs of the runtime's modules (those of the root module here, the others
 * from the worker's entry, which imports each the bundle holds before this
 * module), so that a thread decodes the library's handles without
 * importing a module by URL (see internal/bundled.ts). The thread entries it
 * runs are chunks of the same build: they share this bootstrap's copy of the
 * runtime.
 */

// In this order: the setup runs before the bootstrap starts serving tasks.
import './bundled-worker-setup.js';
import '../internal/worker-main.js';
