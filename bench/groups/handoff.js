// @ts-check
/**
 * Hand-off latency: the main thread and one other thread take turns, n round
 * trips (two hand-offs each). Floors: both sides spinning on a shared word,
 * and both sides sleeping in Atomics.wait and waking each other with
 * Atomics.notify.
 */
import { current, move, park, spawn } from '@sendsync/runtime';
import { Arc, Condvar, Mutex } from '@sendsync/runtime/sync';
import { blockWhileEquals, newControl, timeSample, WAIT_LIMIT_MS } from '../lib/control.js';
import { mt } from '../lib/multithreading.js';
import { RawTeam } from '../lib/raw-team.js';

/** @returns {import('../lib/measure.js').Group} */
export default function handoff() {
  /** @type {RawTeam | undefined} */
  let team;

  return {
    id: 'handoff',
    title: 'Hand-off between two threads (time per round trip)',
    rows: [
      {
        id: 'floor.spin-roundtrip',
        label: 'spinning on a shared word (Atomics.load/store)',
        role: 'floor',
        op: 'handoff',
        kind: 'latency',
        // Enough round trips per sample that one descheduling of a spinner does not make the sample.
        minN: 1000,
        setup() {
          team = new RawTeam(1);
        },
        run(n) {
          const data = new Int32Array(new SharedArrayBuffer(4));
          return /** @type {RawTeam} */ (team).run('spin', data, n, () => {
            const deadline = performance.now() + WAIT_LIMIT_MS;
            for (let i = 0; i < n; i++) {
              // Publishes turn 2i+1; read by the worker's spin loop, which answers 2i+2.
              Atomics.store(data, 0, 2 * i + 1);
              for (let spins = 0; Atomics.load(data, 0) !== 2 * i + 2; spins++) {
                if ((spins & 0xffff) === 0 && performance.now() > deadline) throw new Error('spin hand-off timed out');
              }
            }
          });
        },
        teardown: () => team?.close(),
      },
      {
        id: 'floor.wait-notify-roundtrip',
        label: 'Atomics.wait / Atomics.notify',
        role: 'floor',
        op: 'handoff',
        kind: 'latency',
        run(n) {
          const data = new Int32Array(new SharedArrayBuffer(4));
          return /** @type {RawTeam} */ (team).run('sleep', data, n, () => {
            for (let i = 0; i < n; i++) {
              // Publishes turn 2i+1 and wakes the worker, which answers 2i+2 and wakes us.
              Atomics.store(data, 0, 2 * i + 1);
              Atomics.notify(data, 0, 1);
              blockWhileEquals(data, 0, 2 * i + 1);
            }
          });
        },
      },
      {
        id: 'anchor.multithreading.condvar-roundtrip',
        label: 'multithreading Mutex + Condvar blockingWait',
        role: 'anchor',
        op: 'handoff',
        floor: 'floor.wait-notify-roundtrip',
        kind: 'latency',
        async run(n) {
          const turn = new mt.Mutex(new Int32Array(new SharedArrayBuffer(4)));
          const condvar = new mt.Condvar();
          const ctl = newControl();
          // The control block travels inside a Mutex: the library warns about a bare SharedArrayBuffer.
          const ctlCarrier = new mt.Mutex(ctl);
          const handle = mt.spawn(mt.move(turn, condvar, ctlCarrier, n), (turn, condvar, ctlCarrier, n) => {
            const carrier = ctlCarrier.blockingLock();
            const ctl = carrier.value;
            carrier.dispose();
            const slot = Atomics.add(ctl, 0, 1);
            Atomics.notify(ctl, 0);
            for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
            const start = performance.now();
            for (let i = 0; i < n; i++) {
              const guard = turn.blockingLock();
              while (guard.value[0] !== 2 * i + 1) condvar.blockingWait(guard);
              guard.value[0] = 2 * i + 2;
              condvar.notifyOne();
              guard.dispose();
            }
            new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
            Atomics.add(ctl, 2, 1);
            Atomics.notify(ctl, 2);
          });
          const ms = await timeSample(ctl, 1, () => {
            for (let i = 0; i < n; i++) {
              const guard = turn.blockingLock();
              guard.value[0] = 2 * i + 1;
              condvar.notifyOne();
              while (guard.value[0] !== 2 * i + 2) condvar.blockingWait(guard);
              guard.dispose();
            }
          });
          const result = await handle.join();
          if (!result.ok) throw result.error;
          return ms;
        },
        teardown: () => mt.shutdown(),
      },
      {
        id: 'ours.condvar-roundtrip',
        label: 'sendsync Mutex + Condvar wait / notifyOne',
        role: 'ours',
        op: 'handoff',
        floor: 'floor.wait-notify-roundtrip',
        kind: 'latency',
        async run(n) {
          // Shared as in Rust, through an `Arc`; each side reads its value once, before its clock starts.
          const pair = new Arc({ turn: new Mutex(0), condvar: new Condvar() });
          const { turn, condvar } = pair.value;
          const ctl = newControl();
          const handle = spawn(move(pair.clone(), ctl, n), (pair, ctl, n) => {
            const { turn, condvar } = pair.value;
            const slot = Atomics.add(ctl, 0, 1);
            Atomics.notify(ctl, 0);
            for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
            const start = performance.now();
            for (let i = 0; i < n; i++) {
              let guard = turn.lock();
              while (guard.value !== 2 * i + 1) guard = condvar.wait(guard);
              guard.value = 2 * i + 2;
              condvar.notifyOne();
              guard[Symbol.dispose]();
            }
            new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
            Atomics.add(ctl, 2, 1);
            Atomics.notify(ctl, 2);
          });
          const ms = await timeSample(ctl, 1, () => {
            for (let i = 0; i < n; i++) {
              let guard = turn.lock();
              guard.value = 2 * i + 1;
              condvar.notifyOne();
              while (guard.value !== 2 * i + 2) guard = condvar.wait(guard);
              guard[Symbol.dispose]();
            }
          });
          handle.join();
          return ms;
        },
      },
      {
        id: 'ours.park-roundtrip',
        label: 'sendsync park() / Thread.unpark()',
        role: 'ours',
        op: 'handoff',
        floor: 'floor.wait-notify-roundtrip',
        kind: 'latency',
        async run(n) {
          const word = new Int32Array(new SharedArrayBuffer(4));
          const ctl = newControl();
          const handle = spawn(move(current(), word, ctl, n), (main, word, ctl, n) => {
            const slot = Atomics.add(ctl, 0, 1);
            Atomics.notify(ctl, 0);
            for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
            const start = performance.now();
            for (let i = 0; i < n; i++) {
              // Pairs with the main thread's store of 2i+1 before it unparks us.
              while (Atomics.load(word, 0) !== 2 * i + 1) park();
              Atomics.store(word, 0, 2 * i + 2);
              main.unpark();
            }
            new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
            Atomics.add(ctl, 2, 1);
            Atomics.notify(ctl, 2);
          });
          const other = handle.thread();
          const ms = await timeSample(ctl, 1, () => {
            for (let i = 0; i < n; i++) {
              Atomics.store(word, 0, 2 * i + 1);
              other.unpark();
              while (Atomics.load(word, 0) !== 2 * i + 2) park();
            }
          });
          handle.join();
          return ms;
        },
      },
    ],
  };
}
