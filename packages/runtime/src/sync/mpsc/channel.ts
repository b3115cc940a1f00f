/** `channel()` and `syncChannel()`: making channels (Rust's `std::sync::mpsc::{channel, sync_channel}`). */

import { registerCodec, type CodecContext } from '../../codec.js';
import { Queue, SLOT_BYTES, UNBOUNDED } from './queue.js';
import { Receiver, detachReceiver } from './receiver.js';
import { Sender } from './sender.js';
import { detachSender, lendSender } from './sender-handle.js';
import { SyncSender } from './sync-sender.js';

/** The ring of `channel()` by default: 256 KiB, 16,384 one-slot messages. */
const DEFAULT_RING_BYTES = 256 * 1024;
/** The smallest ring of `syncChannel()`. */
const MIN_SYNC_RING_BYTES = 4 * 1024;

/** Options of `channel()` and `syncChannel()`. */
export interface ChannelOptions {
  /**
   * Bytes of shared memory for messages in flight, rounded up to a power of
   * two, at least 4 KiB (default 256 KiB for `channel()`; for `syncChannel(bound)` enough for
   * `bound` small messages). A message takes 16 bytes per 8 of payload, plus
   * 8; one bigger than a quarter of the ring crosses in pieces.
   */
  readonly capacity?: number;
}

/**
 * A channel with an unbounded buffer, as Rust's `mpsc::channel()`: returns
 * `[Sender, Receiver]`; messages of every sender arrive in the order each sent
 * them.
 *
 * Use it to hand work or results between threads. Messages live in shared
 * memory (no `postMessage` per message). One difference from Rust: the buffer
 * is a ring of `options.capacity` bytes, so a sender that runs that far ahead
 * of the receiver waits for room (back-pressure) instead of allocating.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<number>();
 * const worker = spawn(move(tx), (tx) => { tx.send(42); });
 * rx.recv(); // 42
 * ```
 */
export function channel<T>(options: ChannelOptions = {}): [Sender<T>, Receiver<T>] {
  const buffer = Queue.create((options.capacity ?? DEFAULT_RING_BYTES) / SLOT_BYTES, UNBOUNDED);
  return [new Sender<T>(new Queue(buffer)), new Receiver<T>(new Queue(buffer))];
}

/**
 * A channel holding at most `bound` messages, as Rust's
 * `mpsc::sync_channel(bound)`: `send` blocks while it is full; with
 * `bound = 0` each `send` blocks until the receiver takes the message.
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
export function syncChannel<T>(bound: number, options: ChannelOptions = {}): [SyncSender<T>, Receiver<T>] {
  if (!Number.isInteger(bound) || bound < 0 || bound > 0x3fffffff) throw new RangeError('invalid channel bound');
  const bytes = options.capacity ?? Math.min(DEFAULT_RING_BYTES, Math.max(MIN_SYNC_RING_BYTES, bound * 4 * SLOT_BYTES));
  const buffer = Queue.create(bytes / SLOT_BYTES, bound);
  return [new SyncSender<T>(new Queue(buffer)), new Receiver<T>(new Queue(buffer))];
}

/** The wire form of every channel handle: its shared memory, and whether it is lent (a borrow) rather than moved. */
interface HandleWire {
  readonly buffer: SharedArrayBuffer;
  readonly borrowed?: true;
}

/**
 * Whether the walker encodes a borrow (into a scoped thread) rather than a
 * move. Read from an optional `borrowing` flag of the codec context; without
 * it, every crossing is a move.
 */
function borrowing(context: CodecContext): boolean {
  return (context as { readonly borrowing?: boolean }).borrowing === true;
}

// A sender that crosses into a thread is moved: the count it owns goes with it,
// and the handle left behind is unusable (as after a Rust move). A borrowed one
// (Sender is Sync) is lent: the scoped thread's handle owns no count.
registerCodec<Sender<unknown>, HandleWire>({
  module: import.meta.url,
  tag: 'sendsync:Sender',
  type: Sender,
  // Each value is checked as it is sent: nothing inside can fail `T: Send`.
  send: 'T: Send',
  sync: 'T: Send',
  encode: (sender, context) =>
    borrowing(context) ? { buffer: lendSender(sender).buffer, borrowed: true } : { buffer: detachSender(sender).buffer },
  decode: (wire) => new Sender(new Queue(wire.buffer), wire.borrowed === true),
});
registerCodec<SyncSender<unknown>, HandleWire>({
  module: import.meta.url,
  tag: 'sendsync:SyncSender',
  type: SyncSender,
  send: 'T: Send',
  sync: 'T: Send',
  encode: (sender, context) =>
    borrowing(context) ? { buffer: lendSender(sender).buffer, borrowed: true } : { buffer: detachSender(sender).buffer },
  decode: (wire) => new SyncSender(new Queue(wire.buffer), wire.borrowed === true),
});
registerCodec<Receiver<unknown>, HandleWire>({
  module: import.meta.url,
  tag: 'sendsync:Receiver',
  type: Receiver,
  // Send, never Sync: it may move into a thread, not be borrowed by one.
  send: 'T: Send',
  sync: 'never',
  encode: (receiver) => ({ buffer: detachReceiver(receiver).buffer }),
  decode: (wire) => new Receiver(new Queue(wire.buffer)),
});
