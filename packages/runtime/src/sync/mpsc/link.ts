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
 * A browser has no synchronous receive: there route 2 does not exist (a
 * receiver that moved out is reached through the courier), and the
 * receiver's thread cannot read the courier's reply where it stands. A
 * receive that awaits (`recvAsync`, `for await`) asks for the value ahead
 * (`ParkedValueError.fetch`) and then takes the record as any other; a
 * blocking one (`recv`, `tryRecv`, `recvTimeout`, the iterators) throws that
 * error, a `WouldBlockError` naming `recvAsync`, and leaves the record first
 * in the channel (queue.ts puts it back), so that a later receive that
 * awaits takes it, in its order. Where threads reach the courier by named
 * channels (Node), which carry no port, the wire form holds none
 * (`CodecContext.portless`): a `Receiver` in it crosses as its heap form, as
 * in bytes (the values delivered to its inbox wait at the courier for its
 * next holder), and a running thread's `JoinHandle` leaves its port behind
 * (its thread's result then waits at the courier too, see
 * thread/join-handle.ts). Plain data and channel ends never need a route: they are
 * bytes in the heap.
 */

import { host } from '#host';
import type { Port, Transferable } from '../../host/host.js';
import { codecFor } from '../../codec.js';
import { ownHeld } from '../../internal/drop-value.js';
import { Encoder } from '../../internal/wire.js';
import { WouldBlockError } from '../../would-block-error.js';
import { IN_LOCK, LINK_EPOCH, LINK_POSTERS, RECEIVER, RECEIVER_OWNER, REPARKED, Receiver } from './layout.js';
import { NOT_FETCHED, NOT_PARKED, courierAvailable, courierCarriesPorts, fetchAhead, fetchParked, park, takeFetched } from '../../internal/courier.js';
import { encodePorted, fromPorted, type Ported, type PortedWire } from './record.js';

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

/** The payload of a PORTED record whose value waits at the courier (an inbox's records have none). */
const AT_COURIER = new Uint8Array([1]);

/**
 * How this thread delivers a message holding shared memory to the receiver
 * of the channel whose control words are `control` and whose key is `key`:
 * the message is encoded (its handles move into it), and the function
 * returned delivers it for the record at a position, returning that
 * record's payload (where the value waits). The courier is always a route.
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
  if (link !== undefined) {
    // Announces the post before it looks at the epoch; pairs with `parkPending`'s add to LINK_EPOCH before its look at
    // LINK_POSTERS: either the receiver waits for this post and then takes it, or this sees the new epoch.
    Atomics.add(control, LINK_POSTERS, 1);
    if (link.epoch === Atomics.load(control, LINK_EPOCH)) {
      let wire: PortedWire;
      try {
        wire = message.encode();
      } catch (error) {
        Atomics.sub(control, LINK_POSTERS, 1);
        throw error;
      }
      return (position) => {
        link.port.postMessage({ position, wire: wire.wire } satisfies LinkMessage, wire.transfer as Transferable[]);
        Atomics.sub(control, LINK_POSTERS, 1);
        return undefined;
      };
    }
    // An older link reaches nobody: the inbox crossed as bytes and closed its ports.
    Atomics.sub(control, LINK_POSTERS, 1);
  }
  // Else the courier: the value waits there until the receiver, wherever it is then, reaches its record.
  const { wire, transfer } = message.encode(!courierCarriesPorts());
  return (position) => {
    park(parkedKey(key, position), wire, transfer);
    return AT_COURIER;
  };
}

/**
 * The value of the PORTED record at `position` of the channel whose control
 * words are `control` and whose key is `key`, whose payload is `payload`:
 * from the inbox (or parked by an inbox the Receiver left as bytes), else
 * from the courier. In a browser, a `ParkedValueError` when the value waits
 * at the courier and no receive that awaits fetched it yet: the caller puts
 * the record back.
 */
export function portedValue(inbox: Inbox | undefined, control: Int32Array, key: string, position: number, payload: number): unknown {
  if (payload !== 0) return takeParked(control, parkedKey(key, position), false);
  return inbox?.take(position) ?? reparked(control, key, position);
}

/** The value an inbox parked for the record at `position` when its Receiver left as bytes, if it did. */
function reparked(control: Int32Array, key: string, position: number): unknown {
  // Pairs with `Inbox.parkPending`'s add, made before the Receiver reached this thread.
  if (Atomics.load(control, REPARKED) === 0) return undefined;
  const value = takeParked(control, parkedKey(key, position), true);
  if (value === NOT_PARKED) return undefined;
  // One the channel drops (see `Unfetched`) may not have been parked: the count stays, as it no longer matters.
  if (!(value instanceof Unfetched)) Atomics.sub(control, REPARKED, 1);
  return value;
}

/**
 * The value parked under `key` (or NOT_PARKED: see `fetchParked`), taken
 * from the courier: synchronously where the host can, else as fetched ahead
 * by a receive that awaits. In a browser, without one: an `Unfetched` when
 * the channel is dropping its messages (its receiver is gone), else a
 * `ParkedValueError`.
 */
function takeParked(control: Int32Array, key: string, ifParked: boolean): unknown {
  const wire = courierAvailable() ? fetchParked(key, ifParked) : takeFetched(key);
  if (wire === NOT_PARKED) return NOT_PARKED;
  if (wire !== NOT_FETCHED) return fromPorted(wire);
  // Pairs with `dropReceiver`'s exchange, and the mark of a receiver whose thread ended: nobody will receive it.
  if (Atomics.load(control, RECEIVER) === Receiver.GONE) return new Unfetched(key, ifParked);
  throw new ParkedValueError(key, ifParked);
}

/**
 * Thrown, in a browser, by a receive that reached a message whose value
 * waits at the courier: a blocking receive cannot ask for it (the reply
 * would come through this thread's event loop), and the message stays first
 * in the channel. A receive that awaits catches it, fetches the value, and
 * receives again.
 */
export class ParkedValueError extends WouldBlockError {
  constructor(
    readonly key: string,
    readonly ifParked: boolean,
  ) {
    super(
      'cannot take this message here without awaiting: it holds shared memory of its own (a library handle other than a channel end, or a SharedArrayBuffer), which waits for it at the courier thread, and a browser reads the courier\'s reply only between tasks; use recvAsync (or for await): the message stays first in the channel',
    );
  }

  /** Asks the courier for the value; settles once it is here, for the next receive of this thread to take. */
  fetch(): Promise<void> {
    return fetchAhead(this.key, this.ifParked);
  }
}

/** A parked value of a message the channel drops unread, in a browser: fetched without blocking, then dropped (its handles give their counts back). */
class Unfetched {
  constructor(
    readonly key: string,
    readonly ifParked: boolean,
  ) {}

  drop(): void {
    void fetchAhead(this.key, this.ifParked).then(() => {
      const wire = takeFetched(this.key);
      if (wire !== NOT_PARKED) dropHandles(fromPorted(wire), new Set());
    });
  }
}

/** The courier's key for the value of a channel's record. */
function parkedKey(key: string, position: number): string {
  return `${key}@${position}`;
}

/** The wire form of an inbox, for a receiver that moves to another thread. */
export interface InboxWire {
  readonly ports: readonly Port[];
  /** Values of PORTED records not yet taken, by position, in their wire form (decoded with the Receiver's). */
  readonly pending: readonly (readonly [number, unknown])[];
}

/**
 * The receiver's end of every link, and the values delivered to it, by their
 * record's position. A value is decoded as it arrives (its handles are this
 * thread's from then on, as a received message's are), and encoded again
 * if the receiver leaves before taking it.
 */
export class Inbox {
  readonly #ports: Port[];
  readonly #pending: Map<number, unknown>;

  /** The inbox of the receiver of channel `key`, now in this thread (`wire`'s values were decoded with the Receiver). */
  constructor(
    readonly key: string,
    wire: InboxWire = { ports: [], pending: [] },
  ) {
    for (const port of wire.ports) host.unrefPort(port);
    this.#ports = [...wire.ports];
    this.#pending = new Map(wire.pending);
    // They came with the receiver, decoded inside its wire form: this thread's, as a received message's are.
    for (const value of this.#pending.values()) ownHeld(value);
    inboxes.set(key, this);
  }

  /** Takes the value delivered here for the PORTED record at `position`; undefined if none was (see `parkPending`). */
  take(position: number): unknown {
    if (!this.#pending.has(position)) this.#drain();
    if (!this.#pending.has(position)) return undefined;
    const value = this.#pending.get(position);
    this.#pending.delete(position);
    return value;
  }

  /** Delivers, in this thread, the value of the PORTED record at `position`, in its wire form. */
  deliver(position: number, wire: unknown): void {
    this.#pending.set(position, fromPorted(wire));
  }

  /**
   * The receiver moves to another thread: this inbox's wire form (its ports,
   * and the ports inside pending values, go into `transfer`), and what to do
   * once the move can no longer be refused (`leave`): until then this inbox
   * stays as it was, so that a refused move leaves the receiver whole. The
   * thread it leaves keeps a link to it, where the host has a synchronous
   * receive.
   */
  leaving(control: Int32Array, transfer: unknown[]): { readonly wire: InboxWire; leave(): void } {
    this.#drain();
    const epoch = Atomics.load(control, LINK_EPOCH);
    const ports = [...this.#ports];
    let link: Link | undefined;
    if (host.receiveMessageOnPort !== undefined && links.get(this.key)?.epoch !== epoch) {
      const { port1, port2 } = new MessageChannel();
      // A link must not keep the thread alive: only what the program waits for does.
      host.unrefPort(port1);
      link = { port: port1, epoch };
      ports.push(port2);
    }
    transfer.push(...ports);
    const encoder = new Encoder();
    const pending = [...this.#pending].map(([position, value]) => [position, encoder.encode(value)] as const);
    transfer.push(...encoder.transfer);
    return {
      wire: { ports, pending },
      leave: () => {
        if (inboxes.get(this.key) === this) inboxes.delete(this.key);
        if (link !== undefined) links.set(this.key, link);
        // They go with the receiver: this thread's end leaves them alone.
        encoder.commitMoves();
      },
    };
  }

  /**
   * The receiver crosses as bytes (into a message or a lock's value), and no
   * port can go with bytes: the values delivered here and not yet received
   * are parked at the courier, where its next holder finds them (REPARKED).
   */
  parkPending(control: Int32Array): void {
    // Links made so far reach nobody from now on; pairs with `portedRoute`'s add to LINK_POSTERS before its look.
    Atomics.add(control, LINK_EPOCH, 1);
    // A post that saw the old epoch is short (one postMessage): wait for it to be in the ports, then take it.
    while (Atomics.load(control, LINK_POSTERS) !== 0) {
      // Spin: the poster is between two lines of `portedRoute`'s delivery.
    }
    this.#drain();
    if (this.#pending.size === 0) return;
    const portless = !courierCarriesPorts();
    for (const [position, value] of this.#pending) {
      const { wire, transfer } = encodePorted(value, portless);
      park(parkedKey(this.key, position), wire, transfer);
    }
    // Read by whoever holds the receiver next, which gets it through a message or a lock that publishes this.
    Atomics.add(control, REPARKED, this.#pending.size);
    this.#pending.clear();
  }

  /** The receiver crossed as bytes (see `parkPending`): links made so far reach nobody from now on. */
  leaveAsBytes(): void {
    // `parkPending` (the handle's id, written first) made every link stale: none posts into these ports again.
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
    for (const value of this.#pending.values()) dropHandles(value, new Set());
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
        this.#pending.set(message.position, fromPorted(message.wire));
      }
    }
  }
}

/** Drops the library handles inside a value (a message nobody will receive). */
export function dropHandles(value: unknown, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (codecFor(value) !== undefined || value instanceof Unfetched) {
    (value as { drop?: () => void }).drop?.();
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  const entries = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const entry of entries) dropHandles(entry, seen);
}
