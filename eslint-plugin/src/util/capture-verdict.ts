/**
 * What is wrong with one capture of a spawned closure, decided once for the
 * rules that share the work (`no-implicit-capture` and `no-non-sync-borrow`),
 * so that a mistake gets one diagnostic:
 *
 * - a closure passed to `spawn` runs in another thread, which has the
 *   module's imports but none of its own declarations: a capture must be
 *   imported from a module of its own, or moved in (`move(x)`) when it is
 *   Send data;
 * - a scoped thread's closure *borrows* what it refers to, as in Rust: a
 *   capture that is not `Sync` is rustc's E0277 ("cannot be shared between
 *   threads safely"), reported as `no-non-sync-borrow` reports a `borrow(x)`;
 *   a `Sync` one is lent with `borrow(x)`.
 */

import type { ParserServicesWithTypeInformation } from '@typescript-eslint/utils';

import type { Failure } from './auto-trait.js';
import { whyNot } from './auto-trait.js';
import type { Capture } from './captures.js';
import { isFunctionLike } from './types.js';

/**
 * - `mainThreadGlobal`: a global only the main thread has;
 * - `declaration`: a function or class of the module (code: import it);
 * - `move` / `notSend`: data of the module, Send or not, in a plain thread;
 * - `borrow`: `Sync` data in a scoped thread;
 * - `notSync`: data that is not `Sync` in a scoped thread (`sendable`: it may be moved instead).
 */
export type CaptureVerdict =
  | { readonly kind: 'mainThreadGlobal' | 'declaration' | 'move' | 'notSend' | 'borrow' }
  | { readonly kind: 'notSync'; readonly failure: Failure; readonly sendable: boolean };

/**
 * The verdict on one capture of a closure passed to a plain (`scoped: false`)
 * or scoped thread.
 *
 * @example
 * ```ts
 * // const hits = new Cell(0); scope((s) => s.spawn(() => hits.get()));
 * captureVerdict(services, capture, true); // { kind: 'notSync', failure: { culprit: 'Cell<number>', ... }, sendable: true }
 * ```
 */
export function captureVerdict(services: ParserServicesWithTypeInformation, capture: Capture, scoped: boolean): CaptureVerdict {
  if (capture.kind === 'mainThreadGlobal') return { kind: 'mainThreadGlobal' };
  const checker = services.program.getTypeChecker();
  const type = services.getTypeAtLocation(capture.node);
  if (capture.kind === 'declaration' || isFunctionLike(checker, type)) return { kind: 'declaration' };
  const sendable = whyNot(checker, type, 'Send') === undefined;
  if (!scoped) return { kind: sendable ? 'move' : 'notSend' };
  const failure = whyNot(checker, type, 'Sync');
  return failure ? { kind: 'notSync', failure, sendable } : { kind: 'borrow' };
}
