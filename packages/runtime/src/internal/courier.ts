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
 * The courier is always started by the main thread's watcher (see
 * lifeline.ts), so that it lives as long as the process: a worker's children
 * end with it, and a courier started by a worker would die (its parked
 * values with it) when that worker is ended by force (`process.exit()` in a
 * thread, a heap limit). It starts when a thread first needs it, never
 * otherwise: a program that sends no such value through the courier pays no
 * thread. Any thread that needs it says so through its state word, in the
 * shared heap's header where every thread finds it: NONE → WANTED (a thread
 * asks) → STARTING (the watcher starts it) → LISTENING (the courier
 * listens). The main thread hands the courier's setup to its watcher
 * (starting it) before its first thread that may need the courier runs
 * (`courierMayBeWanted`), and the watcher waits on the word on its event
 * loop (`startCourierWhenWanted`), which is always free: so the courier
 * starts whatever the main thread does meanwhile (blocked in `join()`, in an
 * `Atomics.wait` or a loop of its own).
 *
 * Which threads may need it: only a channel end or a lock sends through the
 * courier, and a thread has one only if it was given a handle (its captures
 * or borrows hold one: the spawn's encoder saw a codec), or its closure
 * reaches code that can make one (an import, the runtime's exports, code it
 * loads: closure-site.ts' `callsOut`; a thread entry), or it got one from a
 * thread it spawned or from a channel or lock it had. The main thread's
 * spawns are where each such chain starts, so they are where the setup goes
 * out: a program whose threads only compute on plain values (spawn, join)
 * starts neither the watcher nor the courier (on Node with `/proc`, where
 * nothing else needs the watcher).
 *
 * Each thread talks to the courier on a *line* of its own, one of two kinds:
 *
 * - **named** (Node, whose synchronous receive reads a `BroadcastChannel`):
 *   any thread can open a named channel at any time, with no port handed
 *   out beforehand. Every instance of a name gets every message posted on
 *   it by the others, and a thread that runs no event loop keeps them
 *   queued: so each thread uses names of its own, one up and one down, and
 *   the shared name carries only the *hello* that makes the courier listen
 *   on a thread's up name, from an instance closed right after its post. A
 *   message posted to a name nobody listens to is dropped, so nobody posts
 *   before the courier listens (LISTENING). A thread's line is closed as its
 *   thread ends (a pooled worker's next thread opens its own), so the
 *   courier holds the lines of running threads only.
 * - **a port** (Deno and Bun, whose synchronous receive reads only
 *   `MessagePort`s, and browsers, which have none): a port can only be
 *   handed out by a thread that runs, and a thread that needs the courier
 *   may find every other thread blocked.
 *   So the spawner, which runs as it starts a worker, makes the worker's
 *   pair: one end goes in the worker's setup (`courier-port.ts`), the other
 *   to the courier, posted on the spawner's own port. A port keeps what is
 *   posted to it until its twin listens, so nothing waits for the courier to
 *   start, and the root of that tree, the main thread's port, reaches the
 *   courier in its setup. The courier lets go of a worker's port when the
 *   worker says goodbye as it ends, or the host closes the port.
 *
 *   Ports posted for the courier pile up until it starts (a few KiB each),
 *   so a thread that started ADOPTS_BEFORE_START workers has it started.
 *
 * Why two kinds rather than ports everywhere, though ports carry ports and
 * named channels do not (on Node a `Receiver` beside a value with shared
 * memory of its own crosses as its heap form, and a running thread's
 * `JoinHandle` leaves its port behind, its thread's result then coming
 * through the courier: see sync/mpsc/link.ts, thread/join-handle.ts): on Node, ports would cost every new
 * worker a `MessageChannel` and a post at its start (70 to 90 µs measured),
 * and a program that starts many workers a courier thread it never uses, or
 * ports piling up (4,000 took some 30 MiB); named lines cost nothing until
 * a value needs the courier. Why not named lines everywhere: Deno's
 * synchronous receive throws on a `BroadcastChannel`, and Bun's returns
 * nothing.
 *
 * **Browsers** have no synchronous receive at all: there a thread reaches
 * the courier by a port as on Deno and Bun, and *awaits* the reply
 * (`fetchAhead`: the port's message event hands it over, and the receive
 * that asked takes it synchronously once it is here). So only a receive
 * that awaits (`recvAsync`, `for await`) can take a value that waits
 * there; a blocking one throws (see sync/mpsc/link.ts), and a lock's handle
 * table, copied while the lock is taken, is not parked there
 * (`courierAvailable` is false: sync/storage.ts refuses a handle new to a
 * lock that crossed). The courier is a worker there too, not the page's
 * main thread, though that thread never blocks and lives as long as the
 * page: a value between two workers would then cost the page two tasks on
 * its event loop (a park, a fetch and its reply), queued behind its
 * rendering and its own callbacks, and a page busy computing would hold up
 * its workers; a worker of its own costs one module worker, started the
 * first time a thread needs it. Ports of workers the page started before
 * pile up on the page's port until then, as on Deno and Bun: what a new
 * worker costs is a `MessageChannel` and a post, made while it boots.
 */

import { host } from '#host';
import type { Port, Transferable } from '../host/host.js';
import { COURIER_STATE, heapBuffer, heapHeader, heapMadeHere } from '../sys/heap.js';
import { courierPort, holdMainCourierPort } from './courier-port.js';
import { onThreadEnd } from './thread-end.js';
import { waitAsync } from './block.js';
import { currentThreadId } from './thread-registry.js';
import { startCourierWith } from './lifeline.js';
import { loadCodecsAsync } from './wire.js';

/** States of the heap header's COURIER_STATE word. */
export const CourierState = {
  /** No courier: nobody asked for one yet. */
  NONE: 0,
  /** A thread needs it: the main thread's watcher starts it. */
  WANTED: 1,
  /** The watcher is starting it: wait for LISTENING (named lines), or post (ports keep what waits). */
  STARTING: 2,
  /** It listens: park and fetch. */
  LISTENING: 3,
} as const;

/** The name of the channel the courier listens on for hellos (named lines). */
export const COURIER_CHANNEL = 'sendsync:courier';

/** What the courier is given when it starts (through the main thread's watcher). */
export interface CourierSetup {
  /** The shared heap, whose header holds COURIER_STATE. */
  readonly courier: SharedArrayBuffer;
  /** The main thread's line, on a host of port lines. */
  readonly port?: Port;
}

/**
 * A message to the courier: a hello (from thread `thread`) or goodbye of a
 * named line; the death of a thread whose named line it may hold (`gone`,
 * see `lineGone`); a worker's port to listen on; a value to keep under a
 * key; a request that takes it, or with `copy` sends a copy and keeps it
 * (the reply goes to the channel named `reply`, or back on the port it came
 * on, then `word` is bumped); or how many lines it holds.
 */
export type CourierMessage =
  | { readonly hello: string; readonly reply: string; readonly word: Int32Array; readonly thread: number }
  | { readonly bye: true; readonly reply?: string }
  | { readonly gone: number }
  | { readonly adopt: Port }
  | { readonly park: string; readonly wire: unknown; readonly transfer: readonly Transferable[] }
  | { readonly fetch: string; readonly reply?: string; readonly word: Int32Array; readonly ifParked?: boolean; readonly copy?: boolean }
  | { readonly lines: string; readonly reply?: string; readonly word: Int32Array };

/** What the main thread posts to its watcher: the courier's setup, to start it with when a thread wants it. */
export interface CourierStart {
  readonly startCourier: CourierSetup;
}

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
/** How many workers' ports a thread posts before it has the courier started, to take them (they pile up until it does). */
const ADOPTS_BEFORE_START = 64;

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
/** On the main thread of a host of port lines: the twin of its port, which the courier gets as it starts. */
let rootTwin: Port | undefined;
/** On the main thread: whether its watcher has the courier's setup (see `handToWatcher`). */
let handed = false;
/** How many workers' ports this thread posted to the courier (see ADOPTS_BEFORE_START). */
let adoptsPosted = 0;
/** The shared heap's header, where COURIER_STATE is (one view per thread: the header never moves). */
let stateView: Int32Array | undefined;
/** Closes this thread's named line, while it is open. */
let closeNamed: (() => void) | undefined;
/** Whether this copy of the module closes its named line as each thread ends. */
let hooked = false;

/**
 * Whether a thread can take a parked value wherever it is, even in a call
 * that may not await (a blocking receive, a lock's handle table): the host
 * receives synchronously. Not in a browser, whose threads await the reply
 * (`fetchAhead`).
 */
export function courierAvailable(): boolean {
  return host.receiveMessageOnPort !== undefined;
}

/** Whether threads reach the courier by ports, which carry a value holding ports (a `Receiver`, a `JoinHandle`): everywhere but Node. */
export function courierCarriesPorts(): boolean {
  return !host.receivesBroadcastSync;
}

/**
 * Called as the main thread hands a worker a thread that may need the
 * courier (see above), before that thread runs: the first time, the main
 * thread's watcher gets the courier's setup (see `handToWatcher`). Nothing on
 * any other thread: the main thread's spawns came first.
 */
export function courierMayBeWanted(): void {
  if (!handed && heapMadeHere()) handToWatcher();
}

/**
 * Called as this thread starts a worker. On a host of port lines: the port to
 * give the worker, whose twin goes to the courier now, on this thread's own
 * port (see above); undefined elsewhere.
 */
export function courierPortForWorker(): Port | undefined {
  if (!courierCarriesPorts()) return undefined;
  const { port1, port2 } = new MessageChannel();
  ownPort().postMessage({ adopt: port2 } satisfies CourierMessage, [port2]);
  // Each port waiting for the courier holds a few KiB: a thread that started many workers has it started.
  if (++adoptsPosted >= ADOPTS_BEFORE_START) ensureCourier();
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

/** What `takeFetched` returns for a key no `fetchAhead` fetched. */
export const NOT_FETCHED: unique symbol = Symbol('not fetched');

/** The replies to this thread's `fetchAhead`, by key, until the receive that asked takes them. */
const fetched = new Map<string, unknown>();
/** This thread's `fetchAhead`s waiting for their reply, by key: one request per key, however many receives await it. */
const fetching = new Map<string, { readonly done: Promise<void>; readonly answer: (reply: CourierReply) => void }>();
/** Whether this thread listens for the replies to `fetchAhead` on its port. */
let awaitingReplies = false;

/**
 * On a host without a synchronous receive (a browser): asks the courier for
 * the value parked under `key` (with `ifParked`, as `fetchParked`) and
 * settles once its reply is here and the modules of its codecs are loaded,
 * for `takeFetched` to take. Nothing blocks: the reply comes through the
 * port's message event.
 */
export function fetchAhead(key: string, ifParked = false): Promise<void> {
  const pending = fetching.get(key);
  if (pending !== undefined) return pending.done;
  const line = lineOf();
  if (!awaitingReplies) {
    awaitingReplies = true;
    line.replies.addEventListener('message', (event: Event) => {
      const reply = (event as MessageEvent).data as CourierReply;
      fetching.get(reply.key)?.answer(reply);
    });
    line.replies.start();
  }
  let answer!: (reply: CourierReply) => void;
  const done = new Promise<CourierReply>((resolve) => {
    answer = resolve;
  }).then(async (reply) => {
    try {
      await loadCodecsAsync(reply.wire);
    } finally {
      fetching.delete(key);
      fetched.set(key, reply.missing === true ? NOT_PARKED : reply.wire);
    }
  });
  fetching.set(key, { done, answer });
  line.post({ fetch: key, reply: line.reply, word: line.word, ifParked }, []);
  return done;
}

/** The value `fetchAhead` fetched for `key` (or NOT_PARKED), taken: NOT_FETCHED if it fetched none. */
export function takeFetched(key: string): unknown {
  if (!fetched.has(key)) return NOT_FETCHED;
  const wire = fetched.get(key);
  fetched.delete(key);
  return wire;
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

/** This thread's line, of the kind its host reads synchronously; the courier is asked for first if need be. */
function lineOf(): Line {
  if (!courierCarriesPorts()) return named ?? openNamed();
  // A port keeps what is posted to it until the courier listens: nothing waits here for it to start.
  ensureCourier();
  return (ported ??= portLine(ownPort()));
}

/** A line on `port`, whose replies come back on it. */
function portLine(port: Port): Line {
  return {
    post: (message, transfer) => port.postMessage(message, transfer as Transferable[]),
    replies: port,
    reply: undefined,
    word: new Int32Array(new SharedArrayBuffer(4)),
  };
}

/** This thread's port to the courier: from its setup in a worker; the main thread's, the root of every other, made on first use. */
function ownPort(): Port {
  let port = courierPort();
  if (port === undefined) {
    const { port1, port2 } = new MessageChannel();
    // Neither keeps this thread alive: only what the program waits for does.
    host.unrefPort(port1);
    holdMainCourierPort(port1);
    rootTwin = port2;
    port = port1;
  }
  return port;
}

/** The heap header's words, where COURIER_STATE is. */
function stateWords(): Int32Array {
  return (stateView ??= heapHeader());
}

/** Has the courier started, unless it is: its state word says it is wanted, and the main thread's watcher starts it. */
function ensureCourier(): void {
  // Pairs with the courier's store of LISTENING, and with the watcher's CAS to STARTING.
  const state = Atomics.load(stateWords(), COURIER_STATE);
  if (state === CourierState.STARTING || state === CourierState.LISTENING) return;
  courierMayBeWanted();
  const words = stateWords();
  if (Atomics.compareExchange(words, COURIER_STATE, CourierState.NONE, CourierState.WANTED) === CourierState.NONE) {
    // Wakes the watcher's `Atomics.waitAsync` on this word (see `startCourierWhenWanted`).
    Atomics.notify(words, COURIER_STATE);
  }
}

/**
 * On the main thread, once: gives the courier's setup to the main thread's
 * watcher, which starts the courier when a thread wants it. The watcher, not
 * this thread: the main thread may then be blocked (in `join()`, or in a wait
 * or a loop of the program's own), and a worker's child dies with it.
 */
function handToWatcher(): void {
  handed = true;
  const port = courierCarriesPorts() ? (ownPort(), rootTwin) : undefined;
  const setup: CourierSetup = { courier: heapBuffer(), ...(port === undefined ? {} : { port }) };
  startCourierWith({ startCourier: setup } satisfies CourierStart, port === undefined ? [] : [port]);
}

/**
 * On the main thread's watcher: starts the courier with `setup` once a thread
 * wants it (its state word leaves NONE), waiting on the word without blocking.
 */
export function startCourierWhenWanted(setup: CourierSetup): void {
  const words = new Int32Array(setup.courier, 0, COURIER_STATE + 1);
  // Pairs with `ensureCourier`'s CAS to WANTED and its notify.
  const state = Atomics.load(words, COURIER_STATE);
  if (state === CourierState.NONE) {
    const waited = waitAsync(words, COURIER_STATE, CourierState.NONE);
    if (waited.async) void waited.value.then(() => startCourierWhenWanted(setup));
    else startCourierWhenWanted(setup);
    return;
  }
  if (Atomics.compareExchange(words, COURIER_STATE, CourierState.WANTED, CourierState.STARTING) !== CourierState.WANTED) return;
  // It waits for as long as the process lives, and keeps nothing alive.
  host.startWatcher(setup, setup.port === undefined ? [] : [setup.port]).unref();
}

/**
 * A thread died without running its end (a heap limit, a crash): where
 * threads reach the courier by named lines, the courier lets go of its line,
 * as it does on the goodbye a thread posts as it ends (a port line closes
 * with its worker). On the shared name, from an instance closed right after
 * its post, as a hello.
 */
export function lineGone(thread: number): void {
  if (!host.receivesBroadcastSync) return;
  const hello = new BroadcastChannel(COURIER_CHANNEL);
  hello.postMessage({ gone: thread } satisfies CourierMessage);
  hello.close();
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
  hello.postMessage({ hello: upName, reply: replyName, word, thread: currentThreadId() } satisfies CourierMessage);
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
  if (!heapMadeHere() && !hooked) {
    hooked = true;
    onThreadEnd(() => closeNamed?.());
  }
  return line;
}


/** Returns once the courier listens on the hello name; asks for it if need be. */
function awaitCourier(): void {
  ensureCourier();
  const words = stateWords();
  const deadline = performance.now() + PATIENCE_MS;
  // Pairs with the courier's store of LISTENING, after its channel listens.
  for (let state = Atomics.load(words, COURIER_STATE); state !== CourierState.LISTENING; state = Atomics.load(words, COURIER_STATE)) {
    if (performance.now() > deadline) throw new Error('internal: the courier thread did not start');
    Atomics.wait(words, COURIER_STATE, state, NAP_MS);
  }
}
