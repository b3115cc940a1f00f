/**
 * The watcher thread (see lifeline.ts), which settles the mailbox of each
 * worker whose lifeline closes, and starts the workers it is given to start
 * and watch, and, for the main thread, the courier; or, started with a courier's setup, the
 * courier (see courier.ts). Both only ever wait on their event loop, so
 * they share one entry: bundled into `watcher.js` (`npm run bundle`).
 */

import { host } from '#host';
import protocol from './protocol.js';
import { adoptRegistry } from './thread-registry.js';
import { startCourierWhenWanted, type CourierSetup, type CourierStart } from './courier.js';
import { runCourier } from './courier-main.js';
import type { Port } from '../host/host.js';
import type { Watched, WatchedStart, WatcherSetup } from './lifeline.js';
import { settleDied } from './worker-death.js';

const { DEAD } = protocol.Word;
const { DIED, OUT_OF_MEMORY } = protocol;

const setup = (await host.workerSetup()) as WatcherSetup | CourierSetup;
if ('courier' in setup) runCourier(setup);
else watch(setup);

function watch(setup: WatcherSetup): void {
  adoptRegistry(setup.registry);
  listen(setup.port);
}

/**
 * Watches, or starts and watches, the workers that come on `port`: the main thread's, or a worker's (see
 * lifeline.ts); on the main thread's, starts the courier when a thread wants it (see courier.ts).
 */
function listen(port: Port): void {
  port.addEventListener('message', (event: Event) => {
    const watched = (event as MessageEvent).data as Watched | WatchedStart | CourierStart;
    if ('startCourier' in watched) {
      startCourierWhenWanted(watched.startCourier);
      return;
    }
    const words = new Int32Array(watched.mailbox);
    const ended = (how: number): void => {
      // Read by a spawner that posts a task to this worker after the watcher settled it as idle.
      Atomics.store(words, DEAD, 1);
      settleDied(words, how);
    };
    if ('lifeline' in watched) {
      const spawner = watched.spawner;
      if (spawner !== undefined) listen(spawner);
      host.watchLifeline(watched.lifeline, () => {
        spawner?.close();
        ended(DIED);
      });
      return;
    }
    // This thread's event loop is always free: the worker's end is reported here even when it never ran a line.
    const worker = host.startWorker(watched.entry, watched.limits);
    worker.setUp(watched.setup, watched.transfer);
    worker.onEnd((error) => ended(host.outOfMemory(error) ? OUT_OF_MEMORY : DIED));
  });
  port.start();
}
