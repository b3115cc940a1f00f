/**
 * How shared memory made after a channel was created reaches its receiver.
 *
 * A `SharedArrayBuffer` crosses to another thread only through `postMessage`,
 * and a receiver blocked in `recv` runs no event loop; so every thread that
 * holds senders of a channel has a *link*: a `MessagePort` whose other end is
 * among the receiver's ports (its *inbox*), which the receiver reads
 * synchronously with `receiveMessageOnPort` when a message is not in the
 * ring. Through it go the segments of the thread's lane (`lane.ts`) and the
 * messages that carry shared memory (library handles).
 *
 * Why ports rather than a registry every thread consults: a port's queue
 * keeps what was posted until the receiver takes it, even while the receiver
 * itself crosses to another thread (its ports move with it, queues and all),
 * and a thread that ends loses nothing it posted. A `BroadcastChannel` would
 * lose what is posted while the receiver is in transit.
 *
 * A sender that leaves a thread takes a fresh port with it, whose twin goes
 * to the receiver through the leaving thread's own link; the link closes when
 * the thread's last sender of the channel is dropped or moved.
 */

import { host } from '#host';
import type { Port, Transferable } from '../../host/host.js';
import { codecFor } from '../../codec.js';
import { LANE_IDS } from './layout.js';
import { LaneReader, LaneWriter, type LaneMessage, type LaneWire } from './lane.js';
import { fromPorted } from './record.js';

/** What a link posts to the receiver: about a lane, a new port, or its own end. */
type LinkMessage =
  | LaneMessage
  /** Another thread's link, to add to the inbox. */
  | { readonly port: Port }
  /** This port's last message: its link closed (`lane`: the lane it wrote, or -1). */
  | { readonly closed: true; readonly lane: number };

/** Takes a queued message off `port` synchronously; never on a host that has no such receive (see host.ts). */
function receive(port: Port): { readonly message: unknown } | undefined {
  return host.receiveMessageOnPort?.(port);
}

/** This thread's links, by channel key. */
const links = new Map<string, Link>();

/** This thread's link to one channel's receiver, shared by all its senders of that channel. */
export class Link {
  /** Sender handles of this thread using the link. */
  #count = 0;
  #lane: LaneWriter | undefined;

  private constructor(
    readonly key: string,
    readonly port: Port,
  ) {}

  /** The link of channel `key` for one more handle; `port` is the one a handle brought, if any. */
  static join(key: string, port: Port | undefined): Link {
    let link = links.get(key);
    if (link === undefined) {
      if (port === undefined) throw new Error('internal: a channel handle without a link');
      // A link must not keep the thread alive: only what the program waits for does.
      host.unrefPort(port);
      link = new Link(key, port);
      links.set(key, link);
    } else if (port !== undefined) {
      close(port, undefined);
    }
    link.#count++;
    return link;
  }

  /** One handle fewer; the last one closes the link. */
  leave(): void {
    if (--this.#count > 0) return;
    links.delete(this.key);
    close(this.port, this.#lane?.id);
  }

  /** This thread's lane of the channel (whose control words are `control`), made on first use. */
  lane(control: Int32Array): LaneWriter {
    // A fresh id for the channel; only atomicity matters.
    this.#lane ??= new LaneWriter(Atomics.add(control, LANE_IDS, 1), (message, transfer) => this.port.postMessage(message, transfer as Transferable[]));
    return this.#lane;
  }

  /** A new port for a handle that leaves this thread; its twin goes to the receiver through this link. */
  handOver(): Port {
    const { port1, port2 } = new MessageChannel();
    this.port.postMessage({ port: port2 } satisfies LinkMessage, [port2]);
    return port1;
  }
}

/** Tells the receiver that `port` is done (after everything it posted), and closes it. */
function close(port: Port, lane: number | undefined): void {
  port.postMessage({ closed: true, lane: lane ?? -1 } satisfies LinkMessage);
  port.close();
}

/** The wire form of an inbox, for a receiver that moves to another thread. */
export interface InboxWire {
  readonly ports: readonly Port[];
  readonly lanes: readonly LaneWire[];
}

/** The receiver's end of every link: its ports, and the lanes they told it of. */
export class Inbox {
  readonly #ports: Port[];
  readonly #lanes: LaneReader[];
  /** Lanes whose producer closed its link: forgotten once read to the end. */
  readonly #closed = new Set<number>();

  constructor(ports: readonly Port[], lanes: readonly LaneReader[] = []) {
    for (const port of ports) host.unrefPort(port);
    this.#ports = [...ports];
    this.#lanes = [...lanes];
  }

  /** An inbox from its wire form. */
  static fromWire(wire: InboxWire): Inbox {
    return new Inbox(wire.ports, wire.lanes.map((lane) => LaneReader.fromWire(lane)));
  }

  /** This inbox's wire form, and what must be transferred with it (its ports, and the ports inside pending messages). */
  toWire(transfer: unknown[]): InboxWire {
    this.drain();
    const lanes = this.#lanes.map((lane) => lane.toWire());
    transfer.push(...this.#ports);
    for (const lane of lanes) portsIn(lane.ported, transfer, new Set());
    return { ports: this.#ports, lanes };
  }

  /** The lane whose next record is at ring `position`, ready to be taken; undefined if none is published yet. */
  find(position: number): LaneReader | undefined {
    let lane = this.#scan(position);
    if (lane === undefined || lane.needsPort()) {
      this.drain();
      lane = this.#scan(position);
    }
    return lane;
  }

  #scan(position: number): LaneReader | undefined {
    const lanes = this.#lanes;
    for (let index = 0; index < lanes.length; index++) {
      const lane = lanes[index];
      const next = lane.peek();
      if (next === position) return lane;
      // A lane whose link closed and that is read to the end gets nothing more.
      if (next === undefined && this.#closed.has(lane.id) && lane.ported.length === 0) {
        this.#closed.delete(lane.id);
        lanes.splice(index--, 1);
      }
    }
    return undefined;
  }

  /** Takes everything the ports hold: new ports, lanes, segments and ported messages. */
  drain(): void {
    const ports = this.#ports;
    for (let index = 0; index < ports.length; index++) {
      for (let received = receive(ports[index]); received !== undefined; received = receive(ports[index])) {
        const message = received.message as LinkMessage;
        if ('port' in message) {
          host.unrefPort(message.port);
          ports.push(message.port);
        } else if ('closed' in message) {
          if (message.lane >= 0) this.#closed.add(message.lane);
          ports[index].close();
          ports.splice(index--, 1);
          break;
        } else {
          this.#laneMessage(message);
        }
      }
    }
  }

  #laneMessage(message: LaneMessage): void {
    let lane = this.#lanes.find((candidate) => candidate.id === message.lane);
    if (lane === undefined) {
      lane = new LaneReader(message.lane);
      this.#lanes.push(lane);
    }
    if (message.segment !== undefined) lane.addSegment(message.segment);
    if ('ported' in message) lane.ported.push(message.ported);
  }

  /**
   * Closes every port (the receiver is dropped). Messages that carry handles
   * and were not received are dropped as Rust drops a channel's queued
   * values: each handle inside gives its count back.
   */
  close(): void {
    this.drain();
    for (const lane of this.#lanes) {
      for (const wire of lane.ported.splice(0)) dropHandles(fromPorted(wire), new Set());
    }
    for (const port of this.#ports) port.close();
    this.#ports.length = 0;
    this.#lanes.length = 0;
  }

  /** Bytes of lane segments held (for tests of memory given back). */
  heldBytes(): number {
    let bytes = 0;
    for (const lane of this.#lanes) bytes += lane.heldBytes();
    return bytes;
  }
}

/** Drops the library handles inside a value (a message nobody will receive). */
function dropHandles(value: unknown, seen: Set<object>): void {
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
