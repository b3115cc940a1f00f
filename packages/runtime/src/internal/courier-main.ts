/**
 * The courier thread (see courier.ts): keeps each parked value until a
 * thread fetches it, answering fetches that came first once the value does.
 * It decodes nothing: a value stays in its wire form, its shared memory held
 * by the clone, until it is handed on. A value whose record is dropped
 * unread is fetched too, by whoever drops it, to give its handles' counts
 * back; a lock's table entry (read by copies) stays until the lock releases
 * it, which then fetches it (sync/storage.ts). The two named channels per
 * worker that talked to it (its up name and its reply name) stay for the
 * process's life: a few hundred bytes each.
 */

import { COURIER_CHANNEL, CourierState, type CourierMessage, type CourierReply, type CourierSetup, type Broadcast } from './courier.js';
import { COURIER_STATE } from '../sys/heap.js';

/** A fetch that came before its value. */
interface Waiting {
  readonly reply: string;
  readonly word: Int32Array;
  /** The value stays parked once answered (see `copyParked`). */
  readonly copy?: boolean;
}

/** Serves parks and fetches for as long as the process lives. */
export function runCourier(setup: CourierSetup): void {
  const parked = new Map<string, unknown>();
  /** Fetches that came before their value, by key (several readers may wait for a kept value). */
  const waiting = new Map<string, Waiting[]>();
  /** The reply channels, by name: one per thread that fetched (kept open, as threads fetch again). */
  const replies = new Map<string, Broadcast>();

  const answer = (key: string, wire: unknown, to: Waiting, missing = false): void => {
    let channel = replies.get(to.reply);
    if (channel === undefined) {
      channel = new BroadcastChannel(to.reply);
      channel.unref();
      replies.set(to.reply, channel);
    }
    channel.postMessage({ key, wire, missing } satisfies CourierReply);
    // After the post: pairs with the fetching thread's load before its look.
    Atomics.add(to.word, 0, 1);
    Atomics.notify(to.word, 0);
  };

  const serve = (event: MessageEvent): void => {
    const message = event.data as CourierMessage;
    if ('hello' in message) {
      // A thread's own up name (see courier.ts): listened on before the answer, so its first post is heard.
      const up = new BroadcastChannel(message.hello);
      up.onmessage = serve;
      answer(message.hello, undefined, message);
    } else if ('park' in message) {
      const readers = waiting.get(message.park) ?? [];
      waiting.delete(message.park);
      for (const to of readers) answer(message.park, message.wire, to);
      // A value taken by a fetch is gone; one read by copies stays for the next reader.
      if (readers.length === 0 || readers.some((to) => to.copy === true)) parked.set(message.park, message.wire);
    } else if (parked.has(message.fetch)) {
      const wire = parked.get(message.fetch);
      if (message.copy !== true) parked.delete(message.fetch);
      answer(message.fetch, wire, message);
    } else if (message.ifParked === true) {
      answer(message.fetch, undefined, message, true);
    } else {
      const readers = waiting.get(message.fetch);
      if (readers === undefined) waiting.set(message.fetch, [message]);
      else readers.push(message);
    }
  };
  // The shared name carries hellos only; each thread then posts on its own up name.
  const hellos = new BroadcastChannel(COURIER_CHANNEL);
  hellos.onmessage = serve;
  const state = new Int32Array(setup.courier, 0, COURIER_STATE + 1);
  // Publishes that the channel listens; pairs with the load in `awaitCourier` of every thread that parks or fetches.
  Atomics.store(state, COURIER_STATE, CourierState.LISTENING);
  Atomics.notify(state, COURIER_STATE);
}
