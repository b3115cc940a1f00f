/**
 * The courier thread (see courier.ts): keeps each parked value until a
 * thread fetches it, answering fetches that came first once the value does.
 * It decodes nothing: a value stays in its wire form, its shared memory held
 * by the clone (and its ports by the transfer), until it is handed on. A
 * value whose record is dropped unread is fetched too, by whoever drops it,
 * to give its handles' counts back; a lock's table entry (read by copies)
 * stays until the lock releases it, which then fetches it (sync/storage.ts).
 * It holds a line per thread that talks to it and lets go of it when the
 * thread ends: a named line on its goodbye, or when a thread that died
 * without one is reported gone (worker-death.ts), a worker's port when the
 * host closes it.
 */

import type { Port, Transferable } from '../host/host.js';
import { COURIER_CHANNEL, CourierState, type Broadcast, type CourierMessage, type CourierReply, type CourierSetup } from './courier.js';
import { COURIER_STATE } from '../sys/heap.js';

/** A value parked: its wire form and the ports it holds. */
interface Parked {
  readonly wire: unknown;
  readonly transfer: readonly Transferable[];
}

/** Where a reply goes: a named line's reply channel, or back on a worker's port. */
interface Waiting {
  readonly to: string | Port;
  readonly word: Int32Array;
  /** The value stays parked once answered (see `copyParked`). */
  readonly copy?: boolean;
}

/** Serves parks and fetches for as long as the process lives. */
export function runCourier(setup: CourierSetup): void {
  const parked = new Map<string, Parked>();
  /** Fetches that came before their value, by key (several readers may wait for a kept value). */
  const waiting = new Map<string, Waiting[]>();
  /** The named lines' channels, by reply name: the up channel it listens on, the reply channel, and the thread's id. */
  const named = new Map<string, { readonly up: Broadcast; readonly replies: Broadcast; readonly thread: number }>();
  /** The ports of the threads on port lines. */
  const ports = new Set<Port>();

  const answer = (key: string, value: Parked | undefined, to: Waiting, missing = false): void => {
    const reply = { key, wire: value?.wire, missing } satisfies CourierReply;
    if (typeof to.to === 'string') named.get(to.to)?.replies.postMessage(reply);
    else to.to.postMessage(reply, (value?.transfer ?? []) as Transferable[]);
    // After the post: pairs with the fetching thread's load before its look.
    Atomics.add(to.word, 0, 1);
    Atomics.notify(to.word, 0);
  };

  const serve = (message: CourierMessage, from: Port | undefined): void => {
    if ('hello' in message) {
      // A thread's own up name (see courier.ts): listened on before the answer, so its first post is heard.
      const up = new BroadcastChannel(message.hello);
      up.onmessage = (event: MessageEvent) => serve(event.data as CourierMessage, undefined);
      const replies = new BroadcastChannel(message.reply);
      replies.unref();
      named.set(message.reply, { up, replies, thread: message.thread });
      answer(message.hello, undefined, { to: message.reply, word: message.word });
    } else if ('gone' in message) {
      // A thread that died without its goodbye (a heap limit): its line, if it opened one, goes as on a goodbye.
      for (const [reply, line] of named) {
        if (line.thread !== message.gone) continue;
        named.delete(reply);
        line.up.close();
        line.replies.close();
      }
    } else if ('bye' in message) {
      if (message.reply === undefined) {
        ports.delete(from!);
        from!.close();
        return;
      }
      const line = named.get(message.reply);
      named.delete(message.reply);
      line?.up.close();
      line?.replies.close();
    } else if ('adopt' in message) {
      adopt(message.adopt);
    } else if ('lines' in message) {
      answer(message.lines, { wire: named.size + ports.size, transfer: [] }, { to: message.reply ?? from!, word: message.word });
    } else if ('park' in message) {
      const value: Parked = { wire: message.wire, transfer: message.transfer };
      const readers = waiting.get(message.park) ?? [];
      waiting.delete(message.park);
      for (const to of readers) answer(message.park, value, to);
      // A value taken by a fetch is gone; one read by copies stays for the next reader.
      if (readers.length === 0 || readers.some((to) => to.copy === true)) parked.set(message.park, value);
    } else {
      const to: Waiting = { to: message.reply ?? from!, word: message.word, copy: message.copy };
      const value = parked.get(message.fetch);
      if (value !== undefined) {
        if (message.copy !== true) parked.delete(message.fetch);
        answer(message.fetch, value, to);
      } else if (message.ifParked === true) {
        answer(message.fetch, undefined, to, true);
      } else {
        const readers = waiting.get(message.fetch);
        if (readers === undefined) waiting.set(message.fetch, [to]);
        else readers.push(to);
      }
    }
  };

  /** Listens on a thread's port until the host closes it (its worker ended). */
  const adopt = (port: Port): void => {
    ports.add(port);
    port.addEventListener('message', (event: Event) => serve((event as MessageEvent).data as CourierMessage, port));
    port.addEventListener('close', () => ports.delete(port), { once: true });
    port.start();
  };

  if (setup.port !== undefined) {
    // Port lines: the main thread's is the root of every other (see courier.ts).
    adopt(setup.port);
  } else {
    // Named lines: the shared name carries hellos only; each thread then posts on its own up name.
    const hellos = new BroadcastChannel(COURIER_CHANNEL);
    hellos.onmessage = (event: MessageEvent) => serve(event.data as CourierMessage, undefined);
  }
  const state = new Int32Array(setup.courier, 0, COURIER_STATE + 1);
  // Publishes that the channel listens; pairs with the load in `awaitCourier` of every thread that parks or fetches.
  Atomics.store(state, COURIER_STATE, CourierState.LISTENING);
  Atomics.notify(state, COURIER_STATE);
}
