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
  lifeline.addEventListener('close', () => {
    // Read by a spawner that posts a task to this worker after the watcher settled it as idle.
    Atomics.store(words, DEAD, 1);
    settleDied(words);
  });
  // A port reports its twin's end only once started, and (Node) while it listens for messages.
  lifeline.addEventListener('message', ignore);
  lifeline.start();
});
setup.port.start();

function ignore(): void {}
