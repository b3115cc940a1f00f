/**
 * `@sendsync/runtime`: Rust's threads and their Send/Sync discipline over
 * workers. The root exports the thread API (`@sendsync/runtime/thread`);
 * the primitives are at `/sync`, `/sync/mpsc`, `/cell` and `/rc`.
 */

export * from './thread/index.js';
export { registerCodec, refuseToSend, type Bound, type Codec, type CodecContext, type Refusal, type TraitRow } from './codec.js';
export { typeNameOf } from './internal/type-name.js';
