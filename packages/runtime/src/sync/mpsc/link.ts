/**
 * How the value of a message holding shared memory of its own (an `Arc`, a
 * `Mutex`, an atomic, a collection, a bare `SharedArrayBuffer`) reaches the
 * receiver. Its record goes in the overflow chain like any other (`PORTED`),
 * but its value cannot be bytes: such memory reaches another thread only
 * through `postMessage`. So it travels beside the record, by the first of
 * these routes that this thread has:
 *
 * 1. into the receiver's *inbox* directly, when the receiver is in the
 *    sending thread (a structured clone, as a message would be);
 * 2. through the sending thread's *link*, a `MessagePort` whose twin is in
 *    the inbox, which the receiver reads synchronously
 *    (`receiveMessageOnPort`) when it reaches the record. A thread has a
 *    link to a channel once the receiver moved out of it into a thread (the
 *    move makes the pair: one end stays, the other goes with the inbox);
 * 3. else through the *courier* (internal/courier.ts), a thread that only
 *    waits on its event loop: the value is parked there under the channel's
 *    key and the record's position, and the record's payload says so; the
 *    receiver, in whatever thread holds it when it reaches the record
 *    (one it moved to meanwhile, or any holder of a lock whose value holds
 *    it), fetches it synchronously.
 *
 * Why this order: the first two cost a structured clone or one
 * `postMessage`, and keep the common cases (a thread sending to itself, a
 * producer feeding the consumer it spawned) free of a second thread; the
 * courier costs two hops and a thread of its own, started by the first
 * send that needs it, never otherwise. Why a courier rather than a port per
 * sender: a blocked receiver cannot hand out ports, a receiver in a lock
 * has no thread, and one that moves would strand what was posted to it;
 * the courier holds each value until whoever reaches its record asks.
 *
 * The courier needs a host whose synchronous receive reads a
 * `BroadcastChannel` (Node). Where there is none (a browser, which has no
 * synchronous receive at all; Deno and Bun, whose receive reads only
 * `MessagePort`s), and where the message also holds a handle whose wire
 * form holds a port (a `Receiver`, a `JoinHandle`), such a send takes routes
 * 1 and 2 only, and elsewhere throws a `TypeError` before anything moves.
 * Plain data and channel ends never need a route: they are bytes in the heap.
 */

import { host } from '#host';
import type { Port, Transferable } from '../../host/host.js';
import { codecFor } from '../../codec.js';
import { IN_LOCK, LINK_EPOCH, RECEIVER_OWNER } from './layout.js';
import { fetchParked, courierAvailable, park } from '../../internal/courier.js';
import { fromPorted, type Ported } from './record.js';

/** What a link posts to the inbox: the value of the PORTED record at `position`. */
interface LinkMessage {
  readonly position: number;
  readonly wire: unknown;
}

/** A link of this thread: its port, and the epoch of the inbox it reaches (see LINK_EPOCH). */
interface Link {
  readonly port: Port;
  readonly epoch: number;
}

/** This thread's links, by channel key. */
const links = new Map<string, Link>();
/** The inboxes of the receivers in this thread, by channel key. */
const inboxes = new Map<string, Inbox>();

/** Takes a queued message off `port` synchronously; never on a host that has no such receive (see host.ts). */
function receive(port: Port): { readonly message: unknown } | undefined {
  return host.receiveMessageOnPort?.(port);
}

/** The start of every refusal: what could not be sent. */
const REFUSED = 'cannot send a message holding shared memory of its own (a library handle other than a channel end, or a SharedArrayBuffer)';

/** The payload of a PORTED record whose value waits at the courier (an inbox's records have none). */
const AT_COURIER = new Uint8Array([1]);

/** Codecs whose wire form holds a port, which no `BroadcastChannel` carries (the courier's route). */
const WITH_PORTS = new Set(['sendsync:JoinHandle', 'sendsync:Receiver']);

/**
 * How this thread delivers a message holding shared memory to the receiver
 * of the channel whose control words are `control` and whose key is `key`:
 * the message is encoded (its handles move into it), and the function
 * returned delivers it for the record at a position, returning that
 * record's payload (where the value waits). Nothing moves when there is no
 * route: a `TypeError` says why.
 */
export function portedRoute(control: Int32Array, key: string, message: Ported): (position: number) => Uint8Array | undefined {
  const inLock = Atomics.load(control, RECEIVER_OWNER) === IN_LOCK;
  const inbox = inLock ? undefined : inboxes.get(key);
  if (inbox !== undefined) {
    const { wire, transfer } = message.encode();
    return (position) => {
      inbox.deliver(position, structuredClone(wire, { transfer: transfer as Transferable[] }));
      return undefined;
    };
  }
  const link = inLock ? undefined : links.get(key);
  // Pairs with `Inbox.leave`'s add: an inbox that crossed as bytes has no ports, and an older link reaches nobody.
  if (link !== undefined && link.epoch === Atomics.load(control, LINK_EPOCH)) {
    const { wire, transfer } = message.encode();
    return (position) => {
      link.port.postMessage({ position, wire } satisfies LinkMessage, transfer as Transferable[]);
      return undefined;
    };
  }
  // Else the courier: the value waits there until the receiver, wherever it is then, reaches its record.
  if (!courierAvailable()) {
    throw new TypeError(
      host.receiveMessageOnPort === undefined
        ? `${REFUSED} to another thread on this host: it has no synchronous port receive; send plain data and channel ends`
        : `${REFUSED} from this thread on this host: its synchronous receive reads no BroadcastChannel, and only the Receiver's thread and the threads it moved out of have a port to it; send it from one of those, or send plain data and channel ends`,
    );
  }
  const holder = codecWithPorts(message.value, new Set());
  if (holder !== undefined) {
    throw new TypeError(`${REFUSED} and a \`${holder}\` from this thread: its ports cannot wait for the receiver; send the \`${holder}\` in a message of its own`);
  }
  const { wire } = message.encode();
  return (position) => {
    park(parkedKey(key, position), wire);
    return AT_COURIER;
  };
}

/** The value of the PORTED record at `position` of channel `key`, whose payload is `payload`: from the inbox, else from the courier. */
export function portedValue(inbox: Inbox | undefined, key: string, position: number, payload: number): unknown {
  if (payload === 0) return inbox?.take(position);
  return fromPorted(fetchParked(parkedKey(key, position)));
}

/** The courier's key for the value of a channel's record. */
function parkedKey(key: string, position: number): string {
  return `${key}@${position}`;
}

/** The name of a codec inside `value` whose wire form holds a port, if any. */
function codecWithPorts(value: unknown, seen: Set<object>): string | undefined {
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const codec = codecFor(value);
  if (codec !== undefined) return WITH_PORTS.has(codec.tag) ? (typeof codec.name === 'string' ? codec.name : codec.type.name) : undefined;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return undefined;
  const entries = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const entry of entries) {
    const found = codecWithPorts(entry, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The wire form of an inbox, for a receiver that moves to another thread. */
export interface InboxWire {
  readonly ports: readonly Port[];
  /** Values of PORTED records not yet taken, by position. */
  readonly pending: readonly (readonly [number, unknown])[];
}

/** The receiver's end of every link, and the values delivered to it, by their record's position. */
export class Inbox {
  readonly #ports: Port[];
  readonly #pending: Map<number, unknown>;

  /** The inbox of the receiver of channel `key`, now in this thread. */
  constructor(
    readonly key: string,
    wire: InboxWire = { ports: [], pending: [] },
  ) {
    for (const port of wire.ports) host.unrefPort(port);
    this.#ports = [...wire.ports];
    this.#pending = new Map(wire.pending);
    inboxes.set(key, this);
  }

  /** Takes the value delivered for the PORTED record at `position`. */
  take(position: number): unknown {
    if (!this.#pending.has(position)) this.#drain();
    if (!this.#pending.has(position)) throw new Error('internal: a PORTED record whose value did not arrive');
    const wire = this.#pending.get(position);
    this.#pending.delete(position);
    return fromPorted(wire);
  }

  /** Delivers, in this thread, the value of the PORTED record at `position`. */
  deliver(position: number, wire: unknown): void {
    this.#pending.set(position, wire);
  }

  /**
   * The receiver moves to another thread: this inbox's wire form (its ports,
   * and the ports inside pending values, go into `transfer`). The thread it
   * leaves keeps a link to it, where the host has a synchronous receive.
   */
  leave(control: Int32Array, transfer: unknown[]): InboxWire {
    this.#drain();
    inboxes.delete(this.key);
    const epoch = Atomics.load(control, LINK_EPOCH);
    if (host.receiveMessageOnPort !== undefined && links.get(this.key)?.epoch !== epoch) {
      const { port1, port2 } = new MessageChannel();
      // A link must not keep the thread alive: only what the program waits for does.
      host.unrefPort(port1);
      links.set(this.key, { port: port1, epoch });
      this.#ports.push(port2);
    }
    transfer.push(...this.#ports);
    const pending = [...this.#pending];
    for (const [, wire] of pending) portsIn(wire, transfer, new Set());
    return { ports: this.#ports, pending };
  }

  /**
   * A `TypeError` if the receiver cannot cross as bytes (inside a message or
   * a lock's value): values delivered here and not yet received would be
   * lost, since no port can go with bytes.
   */
  assertEmpty(): void {
    this.#drain();
    if (this.#pending.size > 0) {
      throw new TypeError(
        "a Receiver with messages holding shared memory of their own, not yet received, cannot go into a lock's value or a message: receive them first, or move the Receiver into a thread",
      );
    }
  }

  /** The receiver crossed as bytes (see `assertEmpty`): links made so far reach nobody from now on. */
  leaveAsBytes(control: Int32Array): void {
    // Pairs with `portedRoute`'s load: links of the old epoch are refused rather than posting into closed ports.
    Atomics.add(control, LINK_EPOCH, 1);
    inboxes.delete(this.key);
    for (const port of this.#ports) port.close();
    this.#ports.length = 0;
  }

  /**
   * The receiver is dropped: values never received are dropped as Rust drops
   * a channel's queued values (each handle inside gives its count back), and
   * the ports are closed.
   */
  close(): void {
    this.#drain();
    for (const wire of this.#pending.values()) dropHandles(fromPorted(wire), new Set());
    this.#pending.clear();
    inboxes.delete(this.key);
    for (const port of this.#ports) port.close();
    this.#ports.length = 0;
  }

  /** Takes every value the ports hold. */
  #drain(): void {
    for (const port of this.#ports) {
      for (let received = receive(port); received !== undefined; received = receive(port)) {
        const message = received.message as LinkMessage;
        this.#pending.set(message.position, message.wire);
      }
    }
  }
}

/** Drops the library handles inside a value (a message nobody will receive). */
export function dropHandles(value: unknown, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (codecFor(value) !== undefined) {
    (value as { drop?: () => void }).drop?.();
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  const entries = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const entry of entries) dropHandles(entry, seen);
}

/** Collects the `MessagePort`s inside a wire value (handles' ports), to transfer them again. */
function portsIn(value: unknown, out: unknown[], seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  if (value instanceof MessagePort) {
    out.push(value);
    return;
  }
  const entries = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const entry of entries) portsIn(entry, out, seen);
}
