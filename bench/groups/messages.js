// @ts-check
/**
 * Channel throughput: the main thread sends n small messages (numbers) to one
 * other thread, which receives them all. The floor is a MessageChannel whose
 * far end is in a raw worker.
 */
import { move, spawn } from '@sendsync/runtime';
import { channel, syncChannel } from '@sendsync/runtime/sync/mpsc';
import { newControl, timeSample } from '../lib/control.js';
import { mt } from '../lib/multithreading.js';
import { RawTeam } from '../lib/raw-team.js';

/** Capacity of the bounded channels measured here. */
const CAPACITY = 1024;

/** @returns {import('../lib/measure.js').Group} */
export default function messages() {
  /** @type {RawTeam | undefined} */
  let team;

  return {
    id: 'messages',
    title: 'Channel throughput: small messages from the main thread to another (time per message)',
    rows: [
      {
        id: 'floor.message-channel',
        label: 'MessageChannel postMessage → worker',
        role: 'floor',
        op: 'channel',
        kind: 'throughput',
        minN: 1000,
        maxN: 1_000_000,
        setup() {
          team = new RawTeam(1);
        },
        run(n) {
          return /** @type {RawTeam} */ (team).sink(n, (port) => {
            for (let i = 0; i < n; i++) port.postMessage(i);
          });
        },
        teardown: () => team?.close(),
      },
      {
        id: 'anchor.multithreading.channel',
        label: `multithreading channel(${CAPACITY}) blockingSend → blockingRecv`,
        role: 'anchor',
        op: 'channel',
        floor: 'floor.message-channel',
        kind: 'throughput',
        minN: 100,
        async run(n) {
          const [tx, rx] = mt.channel(CAPACITY);
          const ctl = newControl();
          // The control block travels inside a Mutex: the library warns about a bare SharedArrayBuffer.
          const ctlCarrier = new mt.Mutex(ctl);
          const handle = mt.spawn(mt.move(rx, ctlCarrier, n), (rx, ctlCarrier, n) => {
            const carrier = ctlCarrier.blockingLock();
            const ctl = carrier.value;
            carrier.dispose();
            const slot = Atomics.add(ctl, 0, 1);
            Atomics.notify(ctl, 0);
            for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
            const start = performance.now();
            let sum = 0;
            for (let i = 0; i < n; i++) {
              const result = rx.blockingRecv();
              if (!result.ok) throw result.error;
              sum += result.value;
            }
            new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
            Atomics.add(ctl, 2, 1);
            Atomics.notify(ctl, 2);
            return sum;
          });
          const ms = await timeSample(ctl, 1, () => {
            for (let i = 0; i < n; i++) {
              const result = tx.blockingSend(i);
              if (!result.ok) throw result.error;
            }
          });
          const result = await handle.join();
          if (!result.ok) throw result.error;
          if (result.value !== (n * (n - 1)) / 2) throw new Error('multithreading channel lost messages');
          tx.close();
          return ms;
        },
        teardown: () => mt.shutdown(),
      },
      {
        id: 'ours.channel',
        label: 'sendsync channel() send → recv',
        role: 'ours',
        op: 'channel',
        floor: 'floor.message-channel',
        kind: 'throughput',
        budget: { of: 'vsFloor', max: 0.2, text: '≥ 5× floor throughput' },
        minN: 1000,
        maxN: 1_000_000,
        run: (n) => ourChannelSample(channel(), n),
      },
      {
        id: 'ours.sync-channel',
        label: `sendsync syncChannel(${CAPACITY}) send → recv`,
        role: 'ours',
        op: 'channel',
        floor: 'floor.message-channel',
        kind: 'throughput',
        minN: 1000,
        maxN: 1_000_000,
        run: (n) => ourChannelSample(syncChannel(CAPACITY), n),
      },
    ],
  };
}

/**
 * One sample of our channels: a thread receives n numbers while the main
 * thread sends them; checks that every one arrived once.
 * @param {[{ send(value: number): void, drop(): void }, import('@sendsync/runtime/sync/mpsc').Receiver<number>]} pair
 * @param {number} n
 */
async function ourChannelSample([tx, rx], n) {
  const ctl = newControl();
  const handle = spawn(move(rx, ctl, n), (rx, ctl, n) => {
    const slot = Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
    const start = performance.now();
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rx.recv();
    new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
    return sum;
  });
  const ms = await timeSample(ctl, 1, () => {
    for (let i = 0; i < n; i++) tx.send(i);
  });
  if (handle.join() !== (n * (n - 1)) / 2) throw new Error('sendsync channel lost messages');
  tx.drop();
  return ms;
}
