/** The errors of `@sendsync/runtime/sync/mpsc`, with Rust's messages. */

import { markErrValue } from '../../internal/err-value.js';

/**
 * Thrown by `send` once the receiver is gone; carries the unsent value back
 * (Rust's `SendError(value)`).
 *
 * @example
 * ```ts
 * rx.drop();
 * try { tx.send(job); } catch (e) { if (e instanceof SendError) retry(e.value); }
 * ```
 */
export class SendError<T = unknown> extends Error {
  override readonly name = 'SendError';
  /** The value that was not sent. */
  readonly value: T;
  constructor(value: T) {
    super('sending on a closed channel');
    this.value = value;
  }
}

/**
 * Thrown by `recv` once every sender is gone and the channel is drained.
 *
 * @example
 * ```ts
 * try { for (;;) handle(rx.recv()); } catch (e) { if (!(e instanceof RecvError)) throw e; }
 * ```
 */
export class RecvError extends Error {
  override readonly name = 'RecvError';
  constructor() {
    super('receiving on a closed channel');
  }
}

/**
 * Thrown by `tryRecv`: `kind` is `'empty'` (nothing yet) or `'disconnected'`
 * (nothing, and every sender is gone).
 *
 * @example
 * ```ts
 * try { rx.tryRecv(); } catch (e) { if (e instanceof TryRecvError && e.kind === 'empty') idle(); }
 * ```
 */
export class TryRecvError extends Error {
  override readonly name = 'TryRecvError';
  /** Rust's `TryRecvError::Empty` or `TryRecvError::Disconnected`. */
  readonly kind: 'empty' | 'disconnected';
  constructor(kind: 'empty' | 'disconnected') {
    super(kind === 'empty' ? 'receiving on an empty channel' : 'receiving on an empty and disconnected channel');
    this.kind = kind;
  }
}

/**
 * Thrown by `recvTimeout`: `kind` is `'timeout'` or `'disconnected'`.
 *
 * @example
 * ```ts
 * try { rx.recvTimeout(100); } catch (e) { if (e instanceof RecvTimeoutError && e.kind === 'timeout') tick(); }
 * ```
 */
export class RecvTimeoutError extends Error {
  override readonly name = 'RecvTimeoutError';
  /** Rust's `RecvTimeoutError::Timeout` or `RecvTimeoutError::Disconnected`. */
  readonly kind: 'timeout' | 'disconnected';
  constructor(kind: 'timeout' | 'disconnected') {
    super(kind === 'timeout' ? 'timed out waiting on channel' : 'channel is empty and sending half is closed');
    this.kind = kind;
  }
}

/**
 * Thrown by `SyncSender.trySend`: `kind` is `'full'` or `'disconnected'`;
 * carries the unsent value back.
 *
 * @example
 * ```ts
 * try { tx.trySend(frame); } catch (e) { if (e instanceof TrySendError && e.kind === 'full') dropFrame(e.value); }
 * ```
 */
export class TrySendError<T = unknown> extends Error {
  override readonly name = 'TrySendError';
  /** Rust's `TrySendError::Full` or `TrySendError::Disconnected`. */
  readonly kind: 'full' | 'disconnected';
  /** The value that was not sent. */
  readonly value: T;
  constructor(kind: 'full' | 'disconnected', value: T) {
    super(kind === 'full' ? 'sending on a full channel' : 'sending on a closed channel');
    this.kind = kind;
    this.value = value;
  }
}

// Rust returns these as `Err` values: leaving a guard's block, they do not poison its lock.
for (const errorClass of [SendError, RecvError, TryRecvError, RecvTimeoutError, TrySendError]) markErrValue(errorClass);

export { UseAfterDropError } from '../../use-after-drop-error.js';
