/**
 * How the value of a message holding shared memory of its own (an `Arc`, a
 * `Mutex`, an atomic, a collection, a bare `SharedArrayBuffer`) reaches the
 * receiver. Its record goes in the overflow chain like any other (`PORTED`),
 * but its value cannot be bytes: such memory reaches another thread only
 * through `postMessage`. So it travels beside the record:
 *
 * - into the receiver's *inbox* directly, when the receiver is in the
 *   sending thread (a structured clone, as a message would be);
 * - else through the sending thread's *link*, a `MessagePort` whose twin is
 *   in the inbox, which the receiver reads synchronously
 *   (`receiveMessageOnPort`) when it reaches the record. A thread has a link
 *   to a channel once the receiver moved out of it into a thread (the move
 *   makes the pair: one end stays, the other goes with the inbox).
 *
 * Elsewhere there is no route, and such a send throws a `TypeError` before
 * anything is sent: from a thread the receiver never was in, to a receiver
 * inside a lock's value (no thread holds it), from the threads a receiver
 * left inside a message's bytes (no port goes with bytes: LINK_EPOCH), and
 * on a host with no synchronous port receive (a browser) from any other
 * thread.
 * Plain data and channel ends never need a port: they are bytes in the heap.
 */

import { host } from '#host';
import type { Port, Transferable } from '../../host/host.js';
import { codecFor } from '../../codec.js';
import { IN_LOCK, LINK_EPOCH, RECEIVER_OWNER } from './layout.js';
import { fromPorted, type PortedWire } from './record.js';

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

/**
 * How this thread delivers the value of a PORTED record of the channel
 * whose control words are `control` and whose key is `key`: a function
 * taking the record's position and the value's wire form. A `TypeError`
 * saying why when there is no route.
 */
export function portedRoute(control: Int32Array, key: string): (position: number, message: PortedWire) => void {
  if (Atomics.load(control, RECEIVER_OWNER) === IN_LOCK) {
    throw new TypeError(`${REFUSED}: the channel's Receiver is inside a lock's value, and no thread could hand it that memory; send plain data and channel ends, or keep the Receiver out of locks`);
  }
  const inbox = inboxes.get(key);
  if (inbox !== undefined) {
    return (position, message) => inbox.deliver(position, structuredClone(message.wire, { transfer: message.transfer as Transferable[] }));
  }
  const link = links.get(key);
  // Pairs with `Inbox.leave`'s add: an inbox that crossed as bytes has no ports, and an older link reaches nobody.
  if (link !== undefined && link.epoch === Atomics.load(control, LINK_EPOCH)) {
    return (position, message) => link.port.postMessage({ position, wire: message.wire } satisfies LinkMessage, message.transfer as Transferable[]);
  }
  if (host.receiveMessageOnPort === undefined) {
    throw new TypeError(`${REFUSED} to another thread on this host: it has no synchronous port receive; send plain data and channel ends`);
  }
  throw new TypeError(
    `${REFUSED} from this thread: its memory reaches the receiver by a port, which only the Receiver's thread and the threads it moved out of have; send it from one of those, or send plain data and channel ends`,
  );
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
