/** `channel()` and `syncChannel()`: making channels (Rust's `std::sync::mpsc::{channel, sync_channel}`). */

import { registerCodec, registerHeapReader, type Codec, type CodecContext, type HeapForm } from '../../codec.js';
import { moveOnCommit } from '../../internal/wire.js';
import { refuseLent } from '../../use-after-drop-error.js';
import { blockAddress, blockIndex } from '../../sys/heap.js';
import { UNBOUNDED } from './layout.js';
import { Inbox } from './link.js';
import { Queue, SLOT_BYTES } from './queue.js';
import { Receiver, assertOwned, detachReceiver, moveReceiverIntoBytes, openReceiver, receiverQueue, type ReceiverWire } from './receiver.js';
import { Sender, openSender } from './sender.js';
import { detachSender, moveSenderIntoBytes, senderQueue, type SenderHandle, type SenderWire } from './sender-handle.js';
import { SyncSender, openSyncSender } from './sync-sender.js';

/** The ring of `channel()` by default: 64 KiB, 4,096 one-slot messages before the overflow chain takes over. */
const DEFAULT_RING_BYTES = 64 * 1024;
/** The smallest ring of `syncChannel()`. */
const MIN_SYNC_RING_BYTES = 4 * 1024;
/** The largest bound of `syncChannel()`. */
const MAX_BOUND = 0x3fffffff;

/** Options of `channel()` and `syncChannel()`. */
export interface ChannelOptions {
  /**
   * Bytes of the ring, the channel's fast path: rounded up to a power of
   * two, at least 4 KiB (default 64 KiB for `channel()`; for
   * `syncChannel(bound)` enough for `bound` small messages). A message takes
   * 16-byte slots for a 12-byte header and its payload (a number: one slot;
   * a string: 2 bytes per character). Messages beyond the ring (when
   * it is full, or bigger than a quarter of it) go to segments of the shared
   * heap, given back as the receiver takes them: the ring never limits what
   * can be sent.
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
  const address = Queue.create(ringBytes(options, 'channel', DEFAULT_RING_BYTES), UNBOUNDED);
  return [openSender<T>(new Queue(address), false), receiverOf<T>(address)];
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
  const address = Queue.create(ringBytes(options, 'syncChannel', fallback), bound);
  return [openSyncSender<T>(new Queue(address), false), receiverOf<T>(address)];
}

/** The receiver of the channel at `address`, in this thread. */
function receiverOf<T>(address: number): Receiver<T> {
  const queue = new Queue(address);
  return openReceiver<T>(queue, new Inbox(queue.key));
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

/**
 * A sender's wire form: lent to a scoped thread (it stays here, with its
 * count), or moved (its count goes with it, once the move can no longer be
 * refused: a spawn refused after encoding it leaves it usable).
 */
function encodeSender(sender: SenderHandle, context: CodecContext): SenderWire {
  const address = senderQueue(sender).address;
  if (borrowing(context)) return { address, borrowed: true };
  moveOnCommit(context, () => detachSender(sender));
  return { address };
}

/** A channel end as a number: its channel's block, and which end (see `HeapForm`). */
function heapId(queue: Queue, receiver: boolean): number {
  return blockIndex(queue.address) * 2 + (receiver ? 1 : 0);
}

/** A receiver as a number, in bytes: the values delivered to its inbox and not yet received wait at the courier. */
const receiverHeapForm: HeapForm<Receiver<unknown>> = {
  id(receiver) {
    refuseLent(receiver);
    const queue = receiverQueue(receiver);
    assertOwned(queue);
    queue.inbox!.parkPending(queue.control);
    return heapId(queue, true);
  },
  move: (receiver, kept) => moveReceiverIntoBytes(receiver, kept),
};

/** A sender as a number, in bytes. */
const senderHeapForm: HeapForm<SenderHandle> = {
  id(sender) {
    refuseLent(sender);
    return heapId(senderQueue(sender), false);
  },
  move: (sender) => moveSenderIntoBytes(sender),
};

// A channel end in bytes (a message, a lock's value) is read back as a handle of its
// channel: owning what the bytes held (a message's), or lent by a lock's value.
registerHeapReader((id, owned) => {
  const queue = new Queue(blockAddress(id >>> 1));
  if ((id & 1) === 1) return openReceiver(queue, owned ? new Inbox(queue.key) : undefined);
  return queue.bound === UNBOUNDED ? openSender(queue, !owned) : openSyncSender(queue, !owned);
});

// The handles' constructors are private (they are made by `channel()` and these
// codecs' factories): the codecs know the classes only to recognise instances.
const senderClass = Sender as unknown as Codec<Sender<unknown>>['type'];
const syncSenderClass = SyncSender as unknown as Codec<SyncSender<unknown>>['type'];
const receiverClass = Receiver as unknown as Codec<Receiver<unknown>>['type'];

// A sender that crosses into a thread is moved: the count it owns goes with it,
// and the handle left behind is unusable (as after a Rust move). A borrowed one
// (Sender is Sync) is lent: the scoped thread's handle owns no count. Every end
// lives in the shared heap: it crosses as its address, in bytes too.
registerCodec<Sender<unknown>, SenderWire>({
  module: import.meta.url,
  tag: 'sendsync:Sender',
  handle: 'heap',
  heap: senderHeapForm,
  type: senderClass,
  // Each value is checked as it is sent: nothing inside can fail `T: Send`.
  send: 'T: Send',
  sync: 'T: Send',
  encode: encodeSender,
  decode: (wire) => openSender(new Queue(wire.address), wire.borrowed === true),
});
registerCodec<SyncSender<unknown>, SenderWire>({
  module: import.meta.url,
  tag: 'sendsync:SyncSender',
  handle: 'heap',
  heap: senderHeapForm,
  type: syncSenderClass,
  send: 'T: Send',
  sync: 'T: Send',
  encode: encodeSender,
  decode: (wire) => openSyncSender(new Queue(wire.address), wire.borrowed === true),
});
/**
 * A receiver moved as its heap form, into a wire form that holds no port (see `CodecContext.portless`), once the
 * move can no longer be refused: until then it receives here, its pending values from the courier.
 */
function receiverAsBytes(receiver: Receiver<unknown>, context: CodecContext): ReceiverWire {
  const { address } = receiverQueue(receiver);
  receiverHeapForm.id(receiver);
  moveOnCommit(context, () => receiverHeapForm.move(receiver, false));
  return { address };
}

registerCodec<Receiver<unknown>, ReceiverWire>({
  module: import.meta.url,
  tag: 'sendsync:Receiver',
  handle: 'heap',
  heap: receiverHeapForm,
  type: receiverClass,
  // Send, never Sync: it may move into a thread, not be borrowed by one.
  send: 'T: Send',
  sync: 'never',
  // Where no port may go, as in bytes: its pending values wait at the courier for its next holder.
  encode: (receiver, context) => (context.portless === true ? receiverAsBytes(receiver, context) : detachReceiver(receiver, context)),
  decode: (wire) => {
    const queue = new Queue(wire.address);
    return openReceiver(queue, new Inbox(queue.key, wire.inbox));
  },
});
