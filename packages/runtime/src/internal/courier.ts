/**
 * The courier: where a value holding shared memory of its own (an `Arc`, a
 * `Mutex`, an atomic, a collection, a bare `SharedArrayBuffer`) waits for a
 * thread that reads it synchronously, when no direct route reaches that
 * thread (see sync/mpsc/link.ts for the direct routes).
 *
 * Why a thread of its own: such memory reaches another thread only by
 * `postMessage`, and the thread that will read the value may be blocked in
 * `recv()` (no event loop runs there), may not be known yet (a `Receiver`
 * inside a lock's value, read by whichever thread holds the lock), or may
 * change meanwhile (a `Receiver` that moves). The courier only ever waits on
 * its event loop: senders *park* a value there under a key (a channel and a
 * position), and the reader, wherever it is when it reaches the record,
 * *fetches* it: it posts its request and reads the reply synchronously
 * (`host.receiveMessageOnPort`), sleeping on a word the courier bumps after
 * it posted the reply. Whichever of park and fetch arrives first, the
 * courier keeps it until the other comes, so nothing depends on their order.
 *
 * Each thread talks to the courier on a *line* of its own, one of two kinds:
 *
 * - **named** (Node, whose synchronous receive reads a `BroadcastChannel`):
 *   any thread can open a named channel at any time, with no port handed
 *   out beforehand, so the courier starts only when the first thread needs
 *   it, and a program that never needs it starts no thread. Every instance
 *   of a name gets every message posted on it by the others, and a thread
 *   that runs no event loop keeps them queued: so each thread uses names of
 *   its own, one up and one down, and the shared name carries only the
 *   *hello* that makes the courier listen on a thread's up name, from an
 *   instance closed right after its post. A message posted to a name nobody
 *   listens to is dropped, so nobody posts before the courier listens: its
 *   state word (in the shared heap's header, where every thread finds it)
 *   goes NONE → STARTING (the one thread that starts it) → LISTENING. A
 *   thread's line is closed as its thread ends (a pooled worker's next
 *   thread opens its own), so the courier holds lines of running threads only.
 * - **a port** (Deno and Bun, whose synchronous receive reads only
 *   `MessagePort`s): a port can only be handed out by a thread that runs,
 *   and a thread that needs the courier may find every other thread blocked.
 *   So the spawner, which runs as it starts a worker, makes the worker's
 *   pair: one end goes in the worker's setup (`courier-port.ts`), the other
 *   to the courier, posted on the spawner's own port (a port keeps what is
 *   posted to it until its twin listens, so nothing waits for the courier).
 *   The root of that tree is the main thread's port, given to the courier
 *   in its setup: so there the main thread starts the courier as it starts
 *   its first worker. The courier lets go of a worker's port when the host
 *   closes it (the worker ended).
 *
 * Why not ports everywhere: a lazily started courier cannot be reached by
 * ports (the thread that starts it cannot hand its port to the threads
 * already running, which may all be blocked), so ports need the courier
 * started with the first worker, a second thread on the path of a cold
 * spawn (on Node some 10 to 40 ms more for a first `spawn(f).join()`);
 * named lines cost nothing until a value needs the courier. Why not named
 * lines everywhere: Deno's synchronous receive throws on a
 * `BroadcastChannel`, and Bun's returns nothing.
 *
 * On Node, a courier started from a worker is that worker's child: it keeps
 * the worker alive (an idle worker, once its threads are done), and dies
 * with it if the worker is ended by force (`process.exit()` in a thread, a
 * heap limit). Browsers have no synchronous receive at all: no courier.
 */

import { host } from '#host';
import type { Port, Transferable } from '../host/host.js';
import { COURIER_STATE, heapBuffer, heapHeader } from '../sys/heap.js';
import { courierPort, holdMainCourierPort } from './courier-port.js';
import { onThreadEnd } from './thread-end.js';

/** States of the heap header's COURIER_STATE word (named lines; see above). */
export const CourierState = {
  /** No courier: nobody asked for one yet. */
  NONE: 0,
  /** A thread is starting it: wait for LISTENING. */
  STARTING: 1,
  /** Its channel listens: park and fetch. */
  LISTENING: 2,
} as const;

/** The name of the channel the courier listens on for hellos (named lines). */
export const COURIER_CHANNEL = 'sendsync:courier';

/** What the courier is given when it starts. */
export interface CourierSetup {
  /** The shared heap, whose header holds COURIER_STATE. */
  readonly courier: SharedArrayBuffer;
  /** The main thread's line, on a host of port lines. */
  readonly port?: Port;
}

/**
 * A message to the courier: a hello or goodbye of a named line; a worker's
 * port to listen on; a value to keep under a key; a request that takes it,
 * or with `copy` sends a copy and keeps it (the reply goes to the channel
 * named `reply`, or back on the port it came on, then `word` is bumped); or
 * how many lines it holds.
 */
export type CourierMessage =
  | { readonly hello: string; readonly reply: string; readonly word: Int32Array }
  | { readonly bye: true; readonly reply?: string }
  | { readonly adopt: Port }
  | { readonly park: string; readonly wire: unknown; readonly transfer: readonly Transferable[] }
  | { readonly fetch: string; readonly reply?: string; readonly word: Int32Array; readonly ifParked?: boolean; readonly copy?: boolean }
  | { readonly lines: string; readonly reply?: string; readonly word: Int32Array };

/** The courier's reply to a fetch: the value parked, or `missing` (an `ifParked` fetch of a key it does not hold). */
export interface CourierReply {
  readonly key: string;
  readonly wire: unknown;
  readonly missing?: boolean;
}

/** What `fetchParked` returns for an `ifParked` fetch of a key the courier does not hold. */
export const NOT_PARKED: unique symbol = Symbol('not parked');

/** How long a thread waits for the courier to start, or to answer, before it gives up with an error (it never hangs). */
const PATIENCE_MS = 60_000;
/** How long one sleep lasts while waiting (the wait is also bounded as a whole). */
const NAP_MS = 1_000;

/** A named channel (the global `BroadcastChannel`: its type is not global in every lib). */
export type Broadcast = InstanceType<typeof BroadcastChannel>;

/** This thread's line to the courier. */
interface Line {
  /** Posts to the courier. */
  post(message: CourierMessage, transfer: readonly Transferable[]): void;
  /** Where this thread reads the courier's replies. */
  readonly replies: Port;
  /** The reply name that requests carry (named lines); none on a port, whose replies come back on it. */
  readonly reply: string | undefined;
  /** Bumped by the courier after it posts a reply to this thread. */
  readonly word: Int32Array;
}

/** This thread's named line, once opened (and until its thread ends). */
let named: Line | undefined;
/** This thread's line on its port, once made. */
let ported: Line | undefined;
/** Closes this thread's named line, while it is open. */
let closeNamed: (() => void) | undefined;
/** Whether this copy of the module closes its named line as each thread ends. */
let hooked = false;

/** Whether this host has a courier: a synchronous receive, of named channels or of ports. */
export function courierAvailable(): boolean {
  return host.receiveMessageOnPort !== undefined;
}

/** Whether the courier can hand on a value holding ports (a `Receiver`, a `JoinHandle`): not through a named channel. */
export function courierCarriesPorts(): boolean {
  return courierAvailable() && !host.receivesBroadcastSync;
}

/**
 * On a host of port lines: the port to give a worker this thread starts,
 * whose twin goes to the courier now (see above); the main thread starts the
 * courier first if it did not yet. Undefined elsewhere.
 */
export function courierPortForWorker(): Port | undefined {
  if (!courierCarriesPorts()) return undefined;
  const own = portLine();
  const { port1, port2 } = new MessageChannel();
  own.post({ adopt: port2 }, [port2]);
  return port1;
}

/** Parks `wire` (with the ports in `transfer`) under `key` until a thread fetches it. */
export function park(key: string, wire: unknown, transfer: readonly Transferable[] = []): void {
  lineOf().post({ park: key, wire, transfer }, transfer);
}

/**
 * Takes the value parked under `key`, waiting for it to arrive if need be
 * (its sender parked it before it published the record). With `ifParked`,
 * NOT_PARKED if the courier does not hold it when the request arrives: for
 * a value parked before this thread could ask (a channel's messages parked
 * before their Receiver reached this thread), never for one that may still
 * be on its way.
 */
export function fetchParked(key: string, ifParked = false): unknown {
  const line = lineOf();
  line.post({ fetch: key, reply: line.reply, word: line.word, ifParked }, []);
  return awaitReply(key, line);
}

/** A copy of the value parked under `key`, which stays parked for the next reader (a lock's handle table), waiting for it if need be. */
export function copyParked(key: string): unknown {
  const line = lineOf();
  line.post({ fetch: key, reply: line.reply, word: line.word, copy: true }, []);
  return awaitReply(key, line);
}

/** The key of the reply to `courierLines`. */
const LINES = 'sendsync:lines';

/** How many threads' lines the courier holds (for tests: it must not keep those of threads that ended). */
export function courierLines(): number {
  const line = lineOf();
  line.post({ lines: LINES, reply: line.reply, word: line.word }, []);
  return awaitReply(LINES, line) as number;
}

/** The courier's reply to this thread's request about `key`, read synchronously from its line. */
function awaitReply(key: string, line: Line): unknown {
  const deadline = performance.now() + PATIENCE_MS;
  for (;;) {
    // Read before looking: a reply posted after the look bumps it, and the wait returns at once.
    const seen = Atomics.load(line.word, 0);
    const received = host.receiveMessageOnPort!(line.replies);
    if (received !== undefined) {
      const reply = received.message as CourierReply;
      if (reply.key !== key) throw new Error(`internal: the courier answered ${reply.key} for ${key}`);
      return reply.missing === true ? NOT_PARKED : reply.wire;
    }
    if (performance.now() > deadline) throw new Error('internal: the courier thread did not answer: a value sent beside its record is missing');
    // Pairs with the courier's add after its post.
    Atomics.wait(line.word, 0, seen, NAP_MS);
  }
}

/** This thread's line, of the kind its host reads synchronously. */
function lineOf(): Line {
  return courierCarriesPorts() ? portLine() : (named ?? openNamed());
}

/** This thread's line on its port: from its setup in a worker; on the main thread, made as it starts the courier. */
function portLine(): Line {
  if (ported !== undefined) return ported;
  let port = courierPort();
  if (port === undefined) {
    // The main thread (every worker has its port from its setup): its port is the root of every other.
    const { port1, port2 } = new MessageChannel();
    const setup: CourierSetup = { courier: heapBuffer(), port: port2 };
    // It waits for as long as the process lives, and keeps nothing alive.
    host.startWatcher(setup, [port2]).unref();
    holdMainCourierPort(port1);
    port = port1;
  }
  // Neither keeps this thread alive: only what the program waits for does.
  host.unrefPort(port);
  const line = port;
  ported = {
    post: (message, transfer) => line.postMessage(message, transfer as Transferable[]),
    replies: line,
    reply: undefined,
    word: new Int32Array(new SharedArrayBuffer(4)),
  };
  return ported;
}

/** Opens this thread's named line, starting the courier first if nobody did. */
function openNamed(): Line {
  awaitCourier();
  const name = `${COURIER_CHANNEL}:${crypto.randomUUID()}`;
  const replyName = `${name}:down`;
  const upName = `${name}:up`;
  const replies = new BroadcastChannel(replyName);
  // Neither keeps this thread alive: only what the program waits for does.
  replies.unref();
  const word = new Int32Array(new SharedArrayBuffer(4));
  // Closed right after the post, so it holds none of the other threads' hellos.
  const hello = new BroadcastChannel(COURIER_CHANNEL);
  hello.postMessage({ hello: upName, reply: replyName, word } satisfies CourierMessage);
  hello.close();
  const line: Line = { post: (message) => out.postMessage(message), replies: replies as unknown as Port, reply: replyName, word };
  // The courier answers once it listens on the up name: nothing posted there is lost.
  awaitReply(upName, line);
  const out = new BroadcastChannel(upName);
  out.unref();
  named = line;
  closeNamed = () => {
    // After this thread's parks, on the same channel: the courier lets go of this line once it handled them.
    out.postMessage({ bye: true, reply: replyName } satisfies CourierMessage);
    out.close();
    replies.close();
    named = undefined;
    closeNamed = undefined;
  };
  if (!host.isMainThread && !hooked) {
    hooked = true;
    onThreadEnd(() => closeNamed?.());
  }
  return line;
}


/** Returns once the courier listens on the hello name; starts it if no thread did. */
function awaitCourier(): void {
  const words = heapHeader();
  // Pairs with the courier's store of LISTENING, after its channel listens.
  if (Atomics.load(words, COURIER_STATE) === CourierState.LISTENING) return;
  if (Atomics.compareExchange(words, COURIER_STATE, CourierState.NONE, CourierState.STARTING) === CourierState.NONE) {
    const setup: CourierSetup = { courier: heapBuffer() };
    const courier = host.startWatcher(setup, []);
    // From the main thread it keeps nothing alive; in a worker it stays ref'd: the worker must outlive it.
    if (host.isMainThread) courier.unref();
  }
  const deadline = performance.now() + PATIENCE_MS;
  for (let state = Atomics.load(words, COURIER_STATE); state !== CourierState.LISTENING; state = Atomics.load(words, COURIER_STATE)) {
    if (performance.now() > deadline) throw new Error('internal: the courier thread did not start');
    Atomics.wait(words, COURIER_STATE, state, NAP_MS);
  }
}
