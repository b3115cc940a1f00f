/**
 * Thread identities and liveness, shared by every thread of the process: the
 * contract the primitives use (`currentThreadId()`, unique per spawned thread,
 * 1 on main; `isThreadAlive(id)`). Implemented in thread-state.ts, which the
 * worker's bundled bootstrap shares.
 */

import state from './thread-state.js';

/** The main thread's id. */
export const MAIN_THREAD_ID: number = state.MAIN_THREAD_ID;
/** The id of the thread running this code: 1 on the main thread. */
export const currentThreadId: () => number = state.currentThreadId;
/** Whether thread `id` is still running (false once it returned, panicked or was terminated). */
export const isThreadAlive: (id: number) => boolean = state.isThreadAlive;
/** Whether thread `id` has not ended by its own account (cheaper than `isThreadAlive`: no look at its operating-system thread). */
export const isThreadRunning: (id: number) => boolean = state.isThreadRunning;
/** The memory to hand to a new worker, so that it joins this process's registry. */
export const registryMemory: () => SharedArrayBuffer = state.registryMemory;
/** In a worker: adopt the registry handed over by the thread that started it. */
export const adoptRegistry: (memory: SharedArrayBuffer) => void = state.adoptRegistry;
/** Hands out a fresh id and marks it running. */
export const allocateThreadId: () => number = state.allocateThreadId;
/** In the thread that runs `id`: from now on `currentThreadId()` is `id`; `osThread` is the operating-system thread running it. */
export const enterThread: (id: number, osThread: number) => void = state.enterThread;
/** Marks `id` ended; called by the thread itself on return or panic, and by its parent when it dies. */
export const markThreadEnded: (id: number) => void = state.markThreadEnded;
/** The state of the thread running here (id, name, park word, `Thread` handle). */
export const threadState: (typeof state)['threadState'] = state.threadState;
