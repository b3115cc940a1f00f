/**
 * `@sendsync/runtime`: Rust's threads and their Send/Sync discipline over
 * workers. The root exports the thread API (`@sendsync/runtime/thread`);
 * the primitives are at `/sync`, `/sync/mpsc`, `/cell` and `/rc`.
 */

export * from './thread/index.js';
export { registerCodec, refuseToSend, typeNameOf, type Codec, type CodecContext, type Refusal } from './codec.js';
