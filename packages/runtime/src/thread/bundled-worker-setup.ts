/**
 * What a bundled worker's bootstrap needs before it starts (see
 * bundled-worker.ts): the lazily loaded modules, and the codecs of the
 * runtime's root module. The codecs of its other public modules (`/sync`,
 * `/sync/mpsc`, `/cell`, `/rc`, `/collections`) come from the worker's entry,
 * which the bundler plugin writes to import those of them the bundle holds
 * before this one: a value reaches a thread only if its class is in the
 * bundle, and bundling the rest would only cost the build.
 */

import '../index.js';
import bundled from '../internal/bundled.js';
import * as courier from '../internal/courier.js';
import * as panicHooks from '../internal/panic-hooks.js';
import * as thrown from '../internal/thrown.js';
import * as wire from '../internal/wire.js';

bundled.active = true;
bundled.modules = { wire, thrown, 'panic-hooks': panicHooks, courier };
