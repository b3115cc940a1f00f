/**
 * `@sendsync/runtime/sync/mpsc`: Rust's multi-producer, single-consumer
 * channels over shared memory: `channel()` (unbounded), `syncChannel(bound)`
 * (bounded; 0 is a rendezvous), their `Sender`, `SyncSender` and `Receiver`,
 * and the errors of disconnection.
 */

export { channel, syncChannel, type ChannelOptions } from './channel.js';
export { Sender } from './sender.js';
export { SyncSender } from './sync-sender.js';
export { Receiver } from './receiver.js';
export { SendError, RecvError, TryRecvError, RecvTimeoutError, TrySendError, UseAfterDropError } from './errors.js';
