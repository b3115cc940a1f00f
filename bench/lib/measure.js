// @ts-check
/**
 * Runs one group of rows inside its own process: calibrates each row, then
 * takes interleaved samples (every round runs every row once, in a fresh
 * random order), so that the things compared see the same machine noise.
 */
import { shuffle, summarize } from './stats.js';

/**
 * @typedef {'floor' | 'anchor' | 'ours'} Role
 * @typedef {'latency' | 'throughput' | 'cost'} Kind
 *   latency: time per operation, one after another; throughput: the same
 *   number read as operations per second (operations overlap); cost: a whole
 *   run of a tool (type check, lint), one per sample.
 *
 * @typedef {object} Row
 * @property {string} id stable id, `<role>.<what>`
 * @property {string} label what the table shows
 * @property {Role} role
 * @property {string} op rows of a group with the same op are compared (best anchor)
 * @property {string} [floor] id of the floor this row is divided by
 * @property {Kind} kind
 * @property {number} [n] fixed operations per sample (otherwise calibrated)
 * @property {boolean} [warmup] false: no discarded first run (a row whose every run is a fresh process)
 * @property {number} [minN] lower bound for the calibrated n (throughput needs many in flight)
 * @property {number} [maxN] upper bound for the calibrated n
 * @property {() => unknown} [setup]
 * @property {(n: number) => number | Promise<number>} run runs n operations, returns elapsed ms
 * @property {() => unknown} [teardown]
 * @property {() => Record<string, unknown>} [extra] more facts for the JSON, read after the last sample
 * @property {Budget} [budget] the speed an issue asks of this row: reported, never asserted
 *
 * @typedef {object} Budget
 * @property {'vsFloor' | 'median' | 'instantiationsPerCallSite'} of what is bounded (median: ns per operation)
 * @property {number} max the bound
 * @property {string} text how the table states it, e.g. `≤ 1.5× floor`
 *
 * @typedef {object} Group
 * @property {string} id
 * @property {string} title
 * @property {Row[]} rows
 * @property {number} [rounds] samples per row, overriding the mode's default
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
 * @property {Kind} kind
 * @property {number} n operations per sample
 * @property {number[]} samples nanoseconds per operation, in the order taken
 * @property {Record<string, unknown>} [extra]
 * @property {Budget} [budget]
 */

/**
 * Picks the n that makes one sample last about `targetMs`, warming the row up.
 * Each step takes the faster of two runs, so that one descheduled run on a
 * noisy machine does not leave the row with a tiny n.
 * @param {Row} row
 * @param {number} targetMs
 */
async function calibrate(row, targetMs) {
  if (row.n !== undefined) {
    if (row.warmup !== false) await row.run(row.n);
    return row.n;
  }
  const maxN = row.maxN ?? 1e9;
  const minN = Math.min(row.minN ?? 1, maxN);
  let n = minN;
  // A first, discarded run: lazy start-up (a pool's first worker) is not an operation's cost.
  await row.run(n);
  for (;;) {
    const ms = Math.max(Math.min(await row.run(n), await row.run(n)), 1e-3);
    if (ms >= targetMs / 4 || n >= maxN) return Math.max(minN, Math.min(maxN, Math.round((n * targetMs) / ms)));
    n = Math.min(maxN, n * Math.min(100, Math.max(2, Math.floor(targetMs / 4 / ms))));
  }
}

/**
 * Measures every row of a group; tears every row down even on failure.
 * @param {Group} group
 * @param {Mode} mode
 * @returns {Promise<RowResult[]>}
 */
export async function measureGroup(group, mode) {
  if (group.results !== undefined) return group.results;
  const rounds = group.rounds ?? mode.rounds;
  const started = [];
  try {
    /** @type {Map<Row, { n: number, samples: number[] }>} */
    const state = new Map();
    for (const row of group.rows) {
      started.push(row);
      await row.setup?.();
      state.set(row, { n: await calibrate(row, mode.targetMs), samples: [] });
    }
    for (let round = 0; round < rounds; round++) {
      for (const row of shuffle([...group.rows])) {
        const entry = /** @type {{ n: number, samples: number[] }} */ (state.get(row));
        const ms = await row.run(entry.n);
        entry.samples.push((ms * 1e6) / entry.n);
      }
    }
    return group.rows.map((row) => {
      const { n, samples } = /** @type {{ n: number, samples: number[] }} */ (state.get(row));
      const stats = summarize(samples);
      process.stderr.write(`  ${row.label.padEnd(58)} ${String(Math.round(stats.median)).padStart(12)} ns  (n=${n})\n`);
      return {
        group: group.id,
        id: row.id,
        label: row.label,
        role: row.role,
        op: row.op,
        floor: row.floor,
        kind: row.kind,
        n,
        samples,
        extra: row.extra?.(),
        budget: row.budget,
      };
    });
  } finally {
    for (const row of started.reverse()) await row.teardown?.();
  }
}
