/**
 * This thread's port to the courier, on a host whose synchronous receive
 * reads ports only (see courier.ts): a worker gets it in its setup, the
 * main thread makes it as it starts the courier. On a global symbol: the
 * worker's bootstrap is bundled with its own copy of this module, and the
 * modules a thread loads later import this file; both must see one port.
 */

import { host } from '#host';
import type { Port } from '../host/host.js';

const SLOT = Symbol.for('sendsync.courierPort');

/** In a worker: holds `port` as its port to the courier, which lets go of it as the worker ends. */
export function holdCourierPort(port: Port): void {
  (globalThis as { [SLOT]?: Port })[SLOT] = port;
  // Deno reports no close of a port whose twin was transferred: the worker says goodbye itself (Node and Bun also
  // report the close, which covers a worker ended by force). The goodbye of courier.ts's `CourierMessage`.
  host.onExit(() => port.postMessage({ bye: true }));
}

/** On the main thread: holds `port` as its port to the courier, for the process's life. */
export function holdMainCourierPort(port: Port): void {
  (globalThis as { [SLOT]?: Port })[SLOT] = port;
}

/** This thread's port to the courier, if it has one. */
export function courierPort(): Port | undefined {
  return (globalThis as { [SLOT]?: Port })[SLOT];
}
