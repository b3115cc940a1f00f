// @ts-check
/**
 * Runs one group of rows inside its own process: calibrates each row, then
 * takes interleaved samples (every round runs every row once, in a fresh
 * random order), so that the things compared see the same machine noise.
 */
import { shuffle, summarize } from './stats.js';

/**
 * @typedef {'floor' | 'anchor' | 'ours'} Role
 * @typedef {'latency' | 'throughput' | 'cost' | 'memory'} Kind
 *   latency: time per operation, one after another; throughput: the same
 *   number read as operations per second (operations overlap); cost: a whole
 *   run of a tool (type check, lint), one per sample; memory: bytes a process
 *   holds (RSS), one per sample, not a time.
 *
 * @typedef {object} Row
 * @property {string} id stable id, `<role>.<what>`
 * @property {string} label what the table shows
 * @property {Role} role
 * @property {string} op rows of a group with the same op are compared (best anchor)
 * @property {string} [floor] id of the floor this row is divided by
 * @property {string} [baseline] id of the single-threaded row whose time over this row's is this row's speedup
 * @property {Kind} kind
 * @property {number} [n] fixed operations per sample (otherwise calibrated)
 * @property {boolean} [warmup] false: no discarded first run (a row whose every run is a fresh process)
 * @property {number} [minN] lower bound for the calibrated n (throughput needs many in flight)
 * @property {number} [maxN] upper bound for the calibrated n
 * @property {() => unknown} [setup]
 * @property {(n: number) => number | Promise<number>} run runs n operations, returns elapsed ms
 * @property {() => unknown} [teardown]
 * @property {() => Record<string, unknown>} [extra] more facts for the JSON, read after the last sample
 * @property {number} [limitMs] how long one run (or the setup, or the teardown) may take before the row is recorded as failed; RUN_LIMIT_MS unless set
 * @property {Budget} [budget] the speed an issue asks of this row: reported, never asserted
 *
 * @typedef {object} Budget
 * @property {'vsFloor' | 'median' | 'instantiationsPerCallSite' | 'instantiationsAdded'} of what is bounded (median: ns per operation)
 * @property {number} max the bound
 * @property {string} text how the table states it, e.g. `≤ 1.5× floor`
 *
 * @typedef {object} Group
 * @property {string} id
 * @property {string} title
 * @property {Row[]} rows
 * @property {number} [rounds] samples per row, overriding the mode's default
 * @property {boolean} [roundsByOp] sample each round op by op, the rows of one op shuffled among
 *   themselves: for rows as long as a whole job, so that what a library keeps warm between two of
 *   its samples is what back-to-back jobs leave it, not what a minute of other jobs leaves
 * @property {RowResult[]} [results] rows measured by an outside tool (the type-check cost), reported as they are
 *
 * @typedef {object} Mode
 * @property {boolean} quick
 * @property {number} rounds samples per row
 * @property {number} targetMs calibrated duration of one sample
 *
 * @typedef {object} RowResult
 * @property {string} group
 * @property {string} id
 * @property {string} label
 * @property {Role} role
 * @property {string} op
 * @property {string} [floor]
 * @property {string} [baseline]
 * @property {Kind} kind
 * @property {number} n operations per sample
 * @property {number[]} samples nanoseconds per operation (memory rows: bytes), in the order taken (none when the row failed)
 * @property {string} [failure] why the row failed (it threw, lost messages, or ran past its limit): a recorded result, not the end of the group
 * @property {Record<string, unknown>} [extra]
 * @property {Budget} [budget]
 */

/**
 * How long one run of a row may take by default. The harness's own waits
 * give up after control.js's WAIT_LIMIT_MS (30 s); a run that never settles
 * (a library's promise that never resolves) is cut off here.
 */
export const RUN_LIMIT_MS = 60_000;

/** Runs of one row's setup step that its bound allows for: the setup, the warm-up and a few calibration steps. */
const CALIBRATION_RUNS = 8;

/**
 * Settles as `work` does, or rejects once `limitMs` has passed. What `work`
 * started is left running: the group's process ends it (group-process.js
 * exits once it has reported a failed row).
 * @template T
 * @param {T | Promise<T>} work
 * @param {number} limitMs
 * @param {string} what
 * @returns {Promise<T>}
 */
function bounded(work, limitMs, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${limitMs / 1000} s`)), limitMs);
  });
  return /** @type {Promise<T>} */ (Promise.race([work, limit])).finally(() => clearTimeout(timer));
}

/**
 * Picks the n that makes one sample last about `targetMs`, warming the row up.
 * Each step takes the faster of two runs, so that one descheduled run on a
 * noisy machine does not leave the row with a tiny n.
 * @param {Row} row
 * @param {(n: number) => Promise<number>} run the row's run, bounded
 * @param {number} targetMs
 */
async function calibrate(row, run, targetMs) {
  if (row.n !== undefined) {
    if (row.warmup !== false) await run(row.n);
    return row.n;
  }
  const maxN = row.maxN ?? 1e9;
  const minN = Math.min(row.minN ?? 1, maxN);
  let n = minN;
  // A first, discarded run: lazy start-up (a pool's first worker) is not an operation's cost.
  await run(n);
  for (;;) {
    const ms = Math.max(Math.min(await run(n), await run(n)), 1e-3);
    if (ms >= targetMs / 4 || n >= maxN) return Math.max(minN, Math.min(maxN, Math.round((n * targetMs) / ms)));
    n = Math.min(maxN, n * Math.min(100, Math.max(2, Math.floor(targetMs / 4 / ms))));
  }
}

/**
 * The state of one row while its group is measured: its calibrated n, its
 * samples so far, and, once anything of it threw or ran past its limit, why.
 * A failed row takes no more samples; the others go on.
 * @typedef {{ n: number, samples: number[], failure?: string }} RowState
 */

/**
 * Runs one step of a row (setup and calibration, a sample, the teardown);
 * a step that throws or runs past `limitMs` marks the row failed.
 * @param {Row} row
 * @param {RowState} state
 * @param {string} step
 * @param {number} limitMs
 * @param {() => Promise<unknown>} work
 */
async function attempt(row, state, step, limitMs, work) {
  try {
    await bounded(work(), limitMs, `${row.id} ${step}`);
  } catch (error) {
    state.failure ??= error instanceof Error ? error.message : String(error);
    process.stderr.write(`  ${row.label.padEnd(58)} failed: ${state.failure}\n`);
  }
}

/**
 * Measures every row of a group; tears every row down. A row that fails is
 * recorded with its reason and leaves the group's other rows measured.
 * @param {Group} group
 * @param {Mode} mode
 * @returns {Promise<RowResult[]>}
 */
export async function measureGroup(group, mode) {
  if (group.results !== undefined) return group.results;
  const rounds = group.rounds ?? mode.rounds;
  /** @type {Map<Row, RowState>} */
  const states = new Map(group.rows.map((row) => [row, { n: 0, samples: [] }]));
  const stateOf = (/** @type {Row} */ row) => /** @type {RowState} */ (states.get(row));
  const limitOf = (/** @type {Row} */ row) => row.limitMs ?? RUN_LIMIT_MS;
  /** @type {Row[]} */
  const started = [];
  try {
    for (const row of group.rows) {
      const state = stateOf(row);
      started.push(row);
      const run = (/** @type {number} */ n) => bounded(row.run(n), limitOf(row), `${row.id} run(${n})`);
      // Calibration is several runs, each bounded on its own; the step's bound covers them all.
      await attempt(row, state, 'setup', CALIBRATION_RUNS * limitOf(row), async () => {
        await row.setup?.();
        state.n = await calibrate(row, run, mode.targetMs);
      });
    }
    for (let round = 0; round < rounds; round++) {
      const live = group.rows.filter((row) => stateOf(row).failure === undefined);
      const order = group.roundsByOp
        ? [...new Set(live.map((row) => row.op))].flatMap((op) => shuffle(live.filter((row) => row.op === op)))
        : shuffle(live);
      for (const row of order) {
        const state = stateOf(row);
        await attempt(row, state, `run(${state.n})`, limitOf(row), async () => {
          const ms = await row.run(state.n);
          state.samples.push((ms * 1e6) / state.n);
        });
      }
    }
  } finally {
    for (const row of started.reverse()) await attempt(row, stateOf(row), 'teardown', limitOf(row), async () => row.teardown?.());
  }
  return group.rows.map((row) => {
    const { n, samples, failure } = stateOf(row);
    if (failure === undefined) {
      process.stderr.write(`  ${row.label.padEnd(58)} ${String(Math.round(summarize(samples).median)).padStart(12)} ns  (n=${n})\n`);
    }
    return {
      group: group.id,
      id: row.id,
      label: row.label,
      role: row.role,
      op: row.op,
      floor: row.floor,
      baseline: row.baseline,
      kind: row.kind,
      n,
      samples: failure === undefined ? samples : [],
      failure,
      extra: failure === undefined ? row.extra?.() : undefined,
      budget: row.budget,
    };
  });
}
