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
 * (`receiveMessageOnPort`), sleeping on a word the courier bumps after it
 * posted the reply. Whichever of park and fetch arrives first, the courier
 * keeps it until the other comes, so nothing depends on their order.
 *
 * Threads reach the courier through named `BroadcastChannel`s: any thread
 * can open one at any time, with no port handed out beforehand (a blocked
 * thread could not hand one out). Every instance of a name gets every
 * message posted on it by the others, and a thread that runs no event loop
 * (blocked, or an idle worker) keeps them queued: so each thread talks to
 * the courier on names of its own, one up and one down, and the shared name
 * carries only the *hello* that makes the courier listen on a thread's up
 * name, from an instance closed right after its post. This needs a host whose synchronous
 * receive reads a `BroadcastChannel` (Node; `available` probes it once):
 * Deno's and Bun's read `MessagePort`s only, and browsers have no
 * synchronous receive at all, so there the fallback route is refused.
 *
 * A message posted to a name nobody listens to is dropped, so nobody posts
 * before the courier listens: its state word (in the shared heap's header,
 * where every thread finds it) goes NONE → STARTING (the one thread that
 * starts it) → LISTENING (the courier, once its channel listens), and a
 * thread that needs it waits for LISTENING. It is started by the first
 * thread that needs it, and never otherwise: a program that sends no such
 * value through a fallback route never starts it. Started from a worker,
 * it is that worker's child, and keeps it alive (a worker's children end
 * with it); from the main thread, it keeps nothing alive.
 */

import { host } from '#host';
import { COURIER_STATE, heapBuffer, heapHeader } from '../sys/heap.js';

/** States of the heap header's COURIER_STATE word. */
export const CourierState = {
  /** No courier: nobody asked for one yet. */
  NONE: 0,
  /** A thread is starting it: wait for LISTENING. */
  STARTING: 1,
  /** Its channel listens: park and fetch. */
  LISTENING: 2,
} as const;

/** The name of the channel the courier listens on. */
export const COURIER_CHANNEL = 'sendsync:courier';

/** What the courier is given when it starts. */
export interface CourierSetup {
  /** The shared heap, whose header holds COURIER_STATE. */
  readonly courier: SharedArrayBuffer;
}

/**
 * A message to the courier: a value to keep under a key; or a request that
 * takes it, or with `copy` sends a copy and keeps it (the reply goes to the
 * channel named `reply`, then `word` is bumped).
 */
export type CourierMessage =
  | { readonly hello: string; readonly reply: string; readonly word: Int32Array }
  | { readonly park: string; readonly wire: unknown }
  | { readonly fetch: string; readonly reply: string; readonly word: Int32Array; readonly ifParked?: boolean; readonly copy?: boolean };

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

/** This thread's channels to and from the courier, opened on first use. */
interface Line {
  /** This thread's up name: only the courier listens on it, so this instance is never sent anything. */
  readonly out: Broadcast;
  readonly replies: Broadcast;
  readonly replyName: string;
  /** Bumped by the courier after it posts a reply to this thread. */
  readonly word: Int32Array;
}

let line: Line | undefined;
let probed: boolean | undefined;

/** Whether this host can use the courier: a `BroadcastChannel` read synchronously (probed once per thread). */
export function courierAvailable(): boolean {
  return (probed ??= probe());
}

function probe(): boolean {
  const receive = host.receiveMessageOnPort;
  if (receive === undefined || typeof BroadcastChannel !== 'function') return false;
  const name = `sendsync:probe:${crypto.randomUUID()}`;
  const sending = new BroadcastChannel(name);
  const reading = new BroadcastChannel(name);
  try {
    sending.postMessage(1);
    return receive(reading as unknown as Parameters<typeof receive>[0])?.message === 1;
  } catch {
    // Deno: "the port argument must be a MessagePort".
    return false;
  } finally {
    sending.close();
    reading.close();
  }
}

/** Parks `wire` under `key` until a thread fetches it. */
export function park(key: string, wire: unknown): void {
  open().out.postMessage({ park: key, wire } satisfies CourierMessage);
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
  return ask(key, ifParked, false);
}

/** A copy of the value parked under `key`, which stays parked for the next reader (a lock's handle table), waiting for it if need be. */
export function copyParked(key: string): unknown {
  return ask(key, false, true);
}

function ask(key: string, ifParked: boolean, copy: boolean): unknown {
  const { out, replies, replyName, word } = open();
  out.postMessage({ fetch: key, reply: replyName, word, ifParked, copy } satisfies CourierMessage);
  return awaitReply(key, replies, word);
}

/** The courier's reply to this thread's request about `key` (see `ask`), read synchronously from `replies`. */
function awaitReply(key: string, replies: Broadcast, word: Int32Array): unknown {
  const deadline = performance.now() + PATIENCE_MS;
  for (;;) {
    // Read before looking: a reply posted after the look bumps it, and the wait returns at once.
    const seen = Atomics.load(word, 0);
    const received = host.receiveMessageOnPort!(replies as unknown as Parameters<NonNullable<typeof host.receiveMessageOnPort>>[0]);
    if (received !== undefined) {
      const reply = received.message as CourierReply;
      if (reply.key !== key) throw new Error(`internal: the courier answered ${reply.key} for ${key}`);
      return reply.missing === true ? NOT_PARKED : reply.wire;
    }
    if (performance.now() > deadline) throw new Error('internal: the courier thread did not answer: a value sent beside its record is missing');
    // Pairs with the courier's add after its post.
    Atomics.wait(word, 0, seen, NAP_MS);
  }
}

/** This thread's line to the courier, starting the courier first if nobody did. */
function open(): Line {
  if (line !== undefined) return line;
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
  // The courier answers once it listens on the up name: nothing posted there is lost.
  awaitReply(upName, replies, word);
  const out = new BroadcastChannel(upName);
  out.unref();
  line = { out, replies, replyName, word };
  return line;
}

/** Returns once the courier listens; starts it if no thread did. */
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
