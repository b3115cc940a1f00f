/**
 * What a bundled worker's bootstrap needs before it starts (see
 * bundled-worker.ts): the lazily loaded modules, and every codec of the
 * runtime, registered by loading the runtime's modules.
 */

import '../index.js';
import '../sync/index.js';
import '../sync/mpsc/index.js';
import '../cell/index.js';
import '../rc/index.js';
import '../collections/index.js';
import bundled from '../internal/bundled.js';
import * as panicHooks from '../internal/panic-hooks.js';
import * as thrown from '../internal/thrown.js';
import * as wire from '../internal/wire.js';

bundled.active = true;
bundled.modules = { wire, thrown, 'panic-hooks': panicHooks };
