/** `channel()` and `syncChannel()`: making channels (Rust's `std::sync::mpsc::{channel, sync_channel}`). */

import { registerCodec, type Codec, type CodecContext } from '../../codec.js';
import { UNBOUNDED } from './layout.js';
import { Inbox, type InboxWire } from './link.js';
import { Queue, SLOT_BYTES } from './queue.js';
import { Receiver, detachReceiver, openReceiver } from './receiver.js';
import { Sender, openSender } from './sender.js';
import { detachSender, lendSender, type SenderHandle, type SenderWire } from './sender-handle.js';
import { SyncSender, openSyncSender } from './sync-sender.js';

/** The ring of `channel()` by default: 256 KiB, 16,384 one-slot messages before lanes take over. */
const DEFAULT_RING_BYTES = 256 * 1024;
/** The smallest ring of `syncChannel()`. */
const MIN_SYNC_RING_BYTES = 4 * 1024;
/** The largest bound of `syncChannel()`. */
const MAX_BOUND = 0x3fffffff;

/** Options of `channel()` and `syncChannel()`. */
export interface ChannelOptions {
  /**
   * Bytes of the ring, the channel's fast path: rounded up to a power of
   * two, at least 4 KiB (default 256 KiB for `channel()`; for
   * `syncChannel(bound)` enough for `bound` small messages). A small message
   * takes 16 bytes per 8 of payload, plus 8. Messages beyond the ring (when
   * it is full, or bigger than a quarter of it) go to segments of their own,
   * given back as the receiver takes them: the ring never limits what can be
   * sent.
   */
  readonly capacity?: number;
}

/**
 * A channel with an unbounded buffer, as Rust's `mpsc::channel()`: returns
 * `[Sender, Receiver]`; messages of every sender arrive in the order each sent
 * them.
 *
 * Use it to hand work or results between threads. Messages live in shared
 * memory (no `postMessage` per message): a ring first, then segments that
 * grow as needed and are given back as the receiver drains, so `send` never
 * waits and never fails for lack of room, whatever the number or size of the
 * messages.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<number>();
 * const worker = spawn(move(tx), (tx) => { tx.send(42); });
 * rx.recv(); // 42
 * ```
 */
export function channel<T>(options?: ChannelOptions): [Sender<T>, Receiver<T>] {
  const buffer = Queue.create(ringBytes(options, 'channel', DEFAULT_RING_BYTES), UNBOUNDED);
  const { port1, port2 } = new MessageChannel();
  return [openSender<T>(new Queue(buffer), port1, false), openReceiver<T>(new Queue(buffer), new Inbox([port2]))];
}

/**
 * A channel holding at most `bound` messages, as Rust's
 * `mpsc::sync_channel(bound)`: `send` blocks while it is full; with
 * `bound = 0` each `send` blocks until the receiver takes the message. The
 * bound counts messages, whatever their size.
 *
 * Use it for back-pressure (a producer that must not run ahead) or for a
 * rendezvous between two threads.
 *
 * @example
 * ```ts
 * const [tx, rx] = syncChannel<number>(0);
 * spawn(move(tx), (tx) => { tx.send(1); }); // returns once the main thread received it
 * rx.recv(); // 1
 * ```
 */
export function syncChannel<T>(bound: number, options?: ChannelOptions): [SyncSender<T>, Receiver<T>] {
  if (typeof bound !== 'number') throw new TypeError(`syncChannel takes a bound, a number of messages (got ${describe(bound)})`);
  if (!Number.isInteger(bound) || bound < 0 || bound > MAX_BOUND) {
    throw new RangeError(`syncChannel's bound is an integer from 0 to ${MAX_BOUND} (got ${bound})`);
  }
  const fallback = Math.min(DEFAULT_RING_BYTES, Math.max(MIN_SYNC_RING_BYTES, bound * 4 * SLOT_BYTES));
  const buffer = Queue.create(ringBytes(options, 'syncChannel', fallback), bound);
  const { port1, port2 } = new MessageChannel();
  return [openSyncSender<T>(new Queue(buffer), port1, false), openReceiver<T>(new Queue(buffer), new Inbox([port2]))];
}

/** The ring bytes `options` ask for (`fallback` when they do not), or a `TypeError` naming `what` for bad options. */
function ringBytes(options: ChannelOptions | undefined, what: string, fallback: number): number {
  if (options === undefined) return fallback;
  if (typeof options !== 'object' || options === null) throw new TypeError(`${what} takes an options object (got ${describe(options)})`);
  const capacity: unknown = options.capacity;
  if (capacity === undefined) return fallback;
  if (typeof capacity !== 'number' || !(capacity > 0) || capacity === Infinity) {
    throw new TypeError(`${what}'s capacity is a number of bytes, finite and > 0 (got ${describe(capacity)})`);
  }
  return capacity;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value;
}

/** Whether the walker encodes a borrow (into a scoped thread) rather than a move. */
function borrowing(context: CodecContext): boolean {
  return context.borrowing === true;
}

/** A sender's wire form: lent to a scoped thread (it stays here, with its count), or moved (its count goes with it). */
function encodeSender(sender: SenderHandle, context: CodecContext): SenderWire {
  return borrowing(context) ? lendSender(sender, context.transfer) : detachSender(sender, context.transfer);
}

// The handles' constructors are private (they are made by `channel()` and these
// codecs' factories): the codecs know the classes only to recognise instances.
const senderClass = Sender as unknown as Codec<Sender<unknown>>['type'];
const syncSenderClass = SyncSender as unknown as Codec<SyncSender<unknown>>['type'];
const receiverClass = Receiver as unknown as Codec<Receiver<unknown>>['type'];

// A sender that crosses into a thread is moved: the count it owns goes with it,
// and the handle left behind is unusable (as after a Rust move). A borrowed one
// (Sender is Sync) is lent: the scoped thread's handle owns no count.
registerCodec<Sender<unknown>, SenderWire>({
  module: import.meta.url,
  tag: 'sendsync:Sender',
  type: senderClass,
  // Each value is checked as it is sent: nothing inside can fail `T: Send`.
  send: 'T: Send',
  sync: 'T: Send',
  encode: encodeSender,
  decode: (wire) => openSender(new Queue(wire.buffer), wire.port, wire.borrowed === true),
});
registerCodec<SyncSender<unknown>, SenderWire>({
  module: import.meta.url,
  tag: 'sendsync:SyncSender',
  type: syncSenderClass,
  send: 'T: Send',
  sync: 'T: Send',
  encode: encodeSender,
  decode: (wire) => openSyncSender(new Queue(wire.buffer), wire.port, wire.borrowed === true),
});
registerCodec<Receiver<unknown>, { buffer: SharedArrayBuffer; inbox: InboxWire }>({
  module: import.meta.url,
  tag: 'sendsync:Receiver',
  type: receiverClass,
  // Send, never Sync: it may move into a thread, not be borrowed by one.
  send: 'T: Send',
  sync: 'never',
  encode: (receiver, context) => detachReceiver(receiver, context.transfer),
  decode: (wire) => openReceiver(new Queue(wire.buffer), Inbox.fromWire(wire.inbox)),
});
