/**
 * A worker that died without reporting (terminated, out of memory, ended by
 * the host): its mailbox is settled for it, by whichever thread learns of the
 * death first (its spawner, from the worker's exit event, or the watcher,
 * see lifeline.ts). Both may try at once: they write the same words, and the
 * compare-and-exchange on `STATE` lets one of them publish.
 */

import protocol from './protocol.js';
import { markThreadEnded } from './thread-registry.js';
import { lineGone } from './courier.js';

const { IDLE, POSTED, RUNNING, DONE, EXIT } = protocol.State;
const { STATE, THREAD_ID, RESULT, DATA } = protocol.Word;
const { EXITED } = protocol.Transport;
const { DIED } = protocol;

/**
 * Settles the mailbox `words` of a dead worker: a run in progress ends as
 * died (`EXITED`, and `how`: `DIED`, or `OUT_OF_MEMORY` where the watcher
 * saw the worker pass its heap limit), its thread is marked ended and the
 * courier lets go of its line (see courier.ts's `lineGone`); an idle worker
 * becomes `EXIT`, so that no spawner claims it. A result the worker published
 * (`DONE`) stands. A worker a spawner is claiming (`CLAIMED`) is settled by
 * that spawner, which looks at `Word.DEAD` once it has posted.
 */
export function settleDied(words: Int32Array, how: number = DIED): void {
  for (;;) {
    // Pairs with the worker's store of DONE and the spawner's stores of POSTED and IDLE.
    const state = Atomics.load(words, STATE);
    if (state === IDLE) {
      // A spawner's claim (IDLE → CLAIMED) fails from now on.
      if (Atomics.compareExchange(words, STATE, IDLE, EXIT) === IDLE) return;
      continue;
    }
    if (state !== POSTED && state !== RUNNING) return;
    // Nobody else writes these while the run is in progress: the worker is dead, the spawner waits.
    words[RESULT] = EXITED;
    words[DATA] = how;
    const thread = words[THREAD_ID];
    markThreadEnded(thread);
    // Publishes the outcome; pairs with join()'s load of DONE.
    if (Atomics.compareExchange(words, STATE, state, DONE) === state) {
      Atomics.notify(words, STATE);
      // Its end did not run: the courier lets go of its line (a normal end says goodbye).
      lineGone(thread);
      return;
    }
  }
}
