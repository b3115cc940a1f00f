/**
 * The watcher thread (see lifeline.ts): settles the mailbox of each worker
 * whose lifeline closes. Bundled into `watcher.js` (`npm run bundle`).
 */

import { host } from '#host';
import protocol from './protocol.js';
import { adoptRegistry } from './thread-registry.js';
import type { Watched, WatcherSetup } from './lifeline.js';
import { settleDied } from './worker-death.js';

const { DEAD } = protocol.Word;

const setup = (await host.workerSetup()) as WatcherSetup;
adoptRegistry(setup.registry);

setup.port.addEventListener('message', (event: Event) => {
  const { mailbox, lifeline } = (event as MessageEvent).data as Watched;
  const words = new Int32Array(mailbox);
  host.watchLifeline(lifeline, () => {
    // Read by a spawner that posts a task to this worker after the watcher settled it as idle.
    Atomics.store(words, DEAD, 1);
    settleDied(words);
  });
});
setup.port.start();

