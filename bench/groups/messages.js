// @ts-check
/**
 * Channel throughput: the main thread sends n small messages (numbers) to one
 * other thread, which receives them all. The floors are a MessageChannel whose
 * far end is in a raw worker, and a raw single-producer single-consumer ring
 * over a SharedArrayBuffer (the least a shared-memory channel could do). Then
 * one 1 MB message at a time, and a burst of 1,000,000 messages sent before
 * the receiver starts (what an unbounded channel must hold). Then batches of
 * text lines (`string[]`, ASCII and not) of 1 KB to 8 MB, ours against
 * `postMessage` of the same array, per message: how the cost grows with the
 * size.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { move, spawn } from '@sendsync/runtime';
import { channel, syncChannel } from '@sendsync/runtime/sync/mpsc';
import { newControl, timeSample } from '../lib/control.js';
import { mt } from '../lib/multithreading.js';
import { RawTeam } from '../lib/raw-team.js';

/** Capacity of the bounded channels measured here. */
const CAPACITY = 1024;
/** The big message of the 1 MB rows. */
const MEGABYTE = 1 << 20;
/** The burst of the burst rows. */
const BURST = 1_000_000;
/** The batches of text lines: id, label, code units, and the bounds of n (big ones are slow). */
const LINE_BATCHES = /** @type {const} */ ([
  ['1kb', '1 KB', 1 << 10, 1000, 100_000],
  ['64kb', '64 KB', 64 << 10, 100, 10_000],
  ['1mb', '1 MB', 1 << 20, 10, 1000],
  ['8mb', '8 MB', 8 << 20, 3, 100],
]);
/** The text of the lines: ASCII (a log), and not (French and Japanese). */
const LINE_TEXTS = /** @type {const} */ ([
  ['ascii', 'ASCII', (/** @type {number} */ i) => `2026-12-08T03:17:50Z INFO request ${i} served in ${i % 97} ms path=/api/v1/items`],
  ['utf8', 'non-ASCII', (/** @type {number} */ i) => `2026-12-08 INFO requête ${i} servie en ${i % 97} ms — état=«ok» 東京 ${i}`],
]);
/** The bound of the sync channel of the line rows: a few batches in flight, as a pipeline would keep. */
const LINES_BOUND = 4;

/**
 * A batch of lines made by `line`, of about `units` code units in all.
 * @param {number} units
 * @param {(i: number) => string} line
 */
function lineBatch(units, line) {
  /** @type {string[]} */
  const lines = [];
  for (let i = 0, total = 0; total < units; i++) {
    lines.push(line(i));
    total += lines[i].length;
  }
  return lines;
}

/** @returns {import('../lib/measure.js').Group} */
export default function messages() {
  /** @type {RawTeam | undefined} */
  let team;
  /** @type {RawRing | undefined} */
  let ring;

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
        id: 'floor.spsc-ring',
        label: 'raw SPSC ring over a SharedArrayBuffer → worker',
        role: 'floor',
        op: 'channel',
        kind: 'throughput',
        minN: 1000,
        maxN: 1_000_000,
        setup() {
          ring = new RawRing();
        },
        run: (n) => /** @type {RawRing} */ (ring).run(n),
        teardown: () => ring?.close(),
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
        floor: 'floor.spsc-ring',
        kind: 'throughput',
        budget: { of: 'vsFloor', max: 2, text: '≥ 0.5× raw ring throughput' },
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
      {
        id: 'floor.message-channel-1mb',
        label: 'MessageChannel postMessage of 1 MB → worker',
        role: 'floor',
        op: 'channel-1mb',
        kind: 'throughput',
        minN: 10,
        maxN: 10_000,
        setup() {
          team ??= new RawTeam(1);
        },
        run(n) {
          const bytes = new Uint8Array(MEGABYTE);
          return /** @type {RawTeam} */ (team).sink(n, (port) => {
            for (let i = 0; i < n; i++) port.postMessage(bytes);
          });
        },
      },
      {
        id: 'ours.channel-1mb',
        label: 'sendsync channel() send → recv of 1 MB',
        role: 'ours',
        op: 'channel-1mb',
        floor: 'floor.message-channel-1mb',
        kind: 'throughput',
        minN: 10,
        maxN: 10_000,
        run: (n) => ourChannelSample(channel(), n, new Uint8Array(MEGABYTE)),
      },
      ...LINE_BATCHES.flatMap(([size, sizeLabel, units, minN, maxN]) =>
        LINE_TEXTS.flatMap(([text, textLabel, line]) => {
          const op = `channel-lines-${text}-${size}`;
          const floor = `floor.message-channel-lines-${text}-${size}`;
          const what = `string[] of ${sizeLabel} (${textLabel} lines of about 80 characters)`;
          /** @type {import('../lib/measure.js').Row[]} */
          const rows = [
            {
              id: floor,
              label: `MessageChannel postMessage of a ${what} → worker`,
              role: 'floor',
              op,
              kind: 'throughput',
              minN,
              maxN,
              setup() {
                team ??= new RawTeam(1);
              },
              run(n) {
                const lines = lineBatch(units, line);
                return /** @type {RawTeam} */ (team).sink(n, (port) => {
                  for (let i = 0; i < n; i++) port.postMessage(lines);
                });
              },
            },
            {
              id: `ours.channel-lines-${text}-${size}`,
              label: `sendsync channel() send → recv of a ${what}`,
              role: 'ours',
              op,
              floor,
              kind: 'throughput',
              minN,
              maxN,
              run: (n) => ourChannelSample(channel(), n, lineBatch(units, line)),
            },
            {
              id: `ours.sync-channel-lines-${text}-${size}`,
              label: `sendsync syncChannel(${LINES_BOUND}) send → recv of a ${what}`,
              role: 'ours',
              op,
              floor,
              kind: 'throughput',
              minN,
              maxN,
              run: (n) => ourChannelSample(syncChannel(LINES_BOUND), n, lineBatch(units, line)),
            },
          ];
          return rows;
        }),
      ),
      {
        id: 'ours.channel-burst',
        label: `sendsync channel(): ${BURST.toLocaleString('en')} sends, then the receiver starts`,
        role: 'ours',
        op: 'channel-burst',
        floor: 'floor.spsc-ring',
        kind: 'throughput',
        minN: BURST,
        maxN: BURST,
        run: (n) => ourBurstSample(n),
      },
    ],
  };
}

/**
 * One sample of our channels: a thread receives n messages while the main
 * thread sends them; checks that every one arrived once. The messages are the
 * numbers 0..n-1, or `bytes` (a buffer, or an array of strings) n times.
 * @param {[{ send(value: number | Uint8Array | string[]): void, drop(): void }, import('@sendsync/runtime/sync/mpsc').Receiver<number | Uint8Array | string[]>]} pair
 * @param {number} n
 * @param {Uint8Array | string[]} [bytes]
 */
async function ourChannelSample([tx, rx], n, bytes) {
  const ctl = newControl();
  const handle = spawn(move(rx, ctl, n), (rx, ctl, n) => {
    const slot = Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
    const start = performance.now();
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const message = rx.recv();
      sum += typeof message === 'number' ? message : Array.isArray(message) ? message.length : message.byteLength;
    }
    new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
    return sum;
  });
  const ms = await timeSample(ctl, 1, () => {
    if (bytes === undefined) for (let i = 0; i < n; i++) tx.send(i);
    else for (let i = 0; i < n; i++) tx.send(bytes);
  });
  const each = bytes === undefined ? 0 : Array.isArray(bytes) ? bytes.length : bytes.byteLength;
  if (handle.join() !== (bytes === undefined ? (n * (n - 1)) / 2 : n * each)) throw new Error('sendsync channel lost messages');
  tx.drop();
  return ms;
}

/**
 * One sample of a burst: the main thread sends n numbers, then lets the
 * receiving thread start; the receiver's time runs from the start signal to
 * its last message, so it counts the sends and the receives.
 * @param {number} n
 */
async function ourBurstSample(n) {
  /** @type {[import('@sendsync/runtime/sync/mpsc').Sender<number>, import('@sendsync/runtime/sync/mpsc').Receiver<number>]} */
  const [tx, rx] = channel();
  const ctl = newControl();
  const handle = spawn(move(rx, ctl, n), (rx, ctl, n) => {
    const slot = Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
    const start = performance.now();
    // Word 4: the main thread sent the whole burst.
    while (Atomics.load(ctl, 4) === 0) Atomics.wait(ctl, 4, 0, 1000);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rx.recv();
    new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
    return sum;
  });
  const ms = await timeSample(ctl, 1, () => {
    for (let i = 0; i < n; i++) tx.send(i);
    Atomics.store(ctl, 4, 1);
    Atomics.notify(ctl, 4);
  });
  if (handle.join() !== (n * (n - 1)) / 2) throw new Error('sendsync channel lost messages');
  tx.drop();
  return ms;
}

/**
 * The raw floor: a single-producer single-consumer ring of numbers in a
 * SharedArrayBuffer, the main thread producing and a raw worker consuming.
 * Each side caches the other's index and loads it only when the ring looks
 * full or empty (the least a shared-memory channel could do); a side that
 * finds nothing spins, then sleeps on the other's index.
 */
class RawRing {
  constructor() {
    this.worker = new Worker(RAW_RING_CONSUMER, { eval: true });
    /** @type {unknown} */
    this.error = undefined;
    this.worker.on('error', (error) => {
      this.error ??= error;
    });
  }

  /** @param {number} n @returns {Promise<number>} */
  async run(n) {
    const ctl = newControl();
    // Words 0 (tail, producer) and 16 (head, consumer) on lines of their own, then the slots.
    const words = new Int32Array(new SharedArrayBuffer(128 + RING_SLOTS * 8));
    const slots = new Float64Array(words.buffer, 128, RING_SLOTS);
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ ctl, words, n, port: port2 }, [port2]);
    const done = new Promise((resolve) => port1.once('message', resolve));
    const ms = await timeSample(
      ctl,
      1,
      () => {
        let tail = 0;
        let limit = RING_SLOTS;
        for (let i = 0; i < n; i++) {
          if (tail === limit) {
            // Pairs with the consumer's store of its head.
            for (let spins = 0; (limit = Atomics.load(words, 16) + RING_SLOTS) === tail; spins++) {
              if (spins > 1000) Atomics.wait(words, 16, limit - RING_SLOTS, 1);
            }
          }
          slots[tail & (RING_SLOTS - 1)] = i;
          tail++;
          // Publishes the slot written above; read by the consumer's load of the tail (a sleeping consumer looks again within 1 ms).
          Atomics.store(words, 0, tail);
        }
      },
      () => this.error,
    );
    const sum = await done;
    port1.close();
    if (sum !== (n * (n - 1)) / 2) throw new Error('raw ring lost messages');
    return ms;
  }

  close() {
    return this.worker.terminate();
  }
}

/**
 * Slots of the raw ring: 16,384 (256 KiB of 16-byte slots), four times what our channel's default ring holds before
 * its overflow chain. Kept, though not the same size: a ring of 4,096 slots makes this floor some 3.6 times slower
 * (its producer waits on a full ring), and a floor is the best a raw ring can do, not our configuration.
 */
const RING_SLOTS = 16_384;

const RAW_RING_CONSUMER = `
const { parentPort } = require('node:worker_threads');
const SLOTS = ${RING_SLOTS};
parentPort.on('message', ({ ctl, words, n, port }) => {
  const slots = new Float64Array(words.buffer, 128, SLOTS);
  const slot = Atomics.add(ctl, 0, 1);
  Atomics.notify(ctl, 0);
  for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100000) Atomics.wait(ctl, 1, 0, 1000);
  const start = performance.now();
  let head = 0;
  let tail = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (head === tail) {
      for (let spins = 0; (tail = Atomics.load(words, 0)) === head; spins++) if (spins > 1000) Atomics.wait(words, 0, head, 1);
    }
    sum += slots[head & (SLOTS - 1)];
    head++;
    Atomics.store(words, 16, head);
  }
  new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
  port.postMessage(sum);
});
`;
