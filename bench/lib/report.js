// @ts-check
/**
 * Turns the rows of every group into the results: medians, spreads, each
 * row's ratio to its floor and to the best anchor of its operation, as a
 * Markdown table and as JSON.
 */
import { summarize } from './stats.js';

/**
 * @typedef {import('./measure.js').RowResult & {
 *   title: string,
 *   median: number, p25: number, p75: number, min: number, max: number,
 *   bestAnchor?: string, vsFloor?: number, vsBestAnchor?: number, speedup?: number, withinBudget?: boolean,
 * }} ReportRow
 */

/** The statistics of a failed row: it has no samples. */
const NO_STATISTICS = { median: Number.NaN, p25: Number.NaN, p75: Number.NaN, min: Number.NaN, max: Number.NaN, sampleCount: 0 };

/**
 * Adds statistics and ratios. A ratio is this row's time per operation over
 * the reference's: 1 is as fast, 2 twice as slow, 0.2 five times as fast
 * (five times the throughput). A failed row keeps its reason and gets no
 * statistics (NaN) and no ratios; no other row is compared with it.
 * @param {(import('./measure.js').RowResult & { title: string })[]} rows
 * @returns {ReportRow[]}
 */
export function analyze(rows) {
  const withStats = rows.map((row) => ({ ...row, ...(row.failure === undefined ? summarize(row.samples) : NO_STATISTICS) }));
  const measured = withStats.filter((row) => row.failure === undefined);
  const byId = new Map(measured.map((row) => [row.id, row]));
  return withStats.map((row) => {
    /** @type {ReportRow} */
    const result = { ...row };
    if (row.failure !== undefined) return result;
    const floor = row.floor === undefined ? undefined : byId.get(row.floor);
    if (floor !== undefined) result.vsFloor = row.median / floor.median;
    const baseline = row.baseline === undefined ? undefined : byId.get(row.baseline);
    if (baseline !== undefined) result.speedup = baseline.median / row.median;
    const anchors = measured.filter((other) => other.group === row.group && other.op === row.op && other.role === 'anchor');
    if (anchors.length > 0) {
      const best = anchors.reduce((a, b) => (b.median < a.median ? b : a));
      result.bestAnchor = best.id;
      result.vsBestAnchor = row.median / best.median;
    }
    if (row.budget !== undefined) result.withinBudget = measureOf(result, row.budget.of) <= row.budget.max;
    return result;
  });
}

/**
 * The number a budget bounds.
 * @param {ReportRow} row
 * @param {import('./measure.js').Budget['of']} of
 * @returns {number}
 */
function measureOf(row, of) {
  if (of === 'vsFloor') return row.vsFloor ?? Number.NaN;
  if (of === 'median') return row.median;
  return Number(row.extra?.[of]);
}

/**
 * A divisor and unit that suit a row's median: a duration, or bytes for memory rows.
 * @param {ReportRow} row
 * @returns {[number, string]}
 */
function unitOf(row) {
  return row.kind === 'memory' ? [2 ** 20, 'MiB'] : unitFor(row.median);
}

/** @param {number} ns @returns {[number, string]} a divisor and unit that suit a duration */
function unitFor(ns) {
  if (ns < 1e3) return [1, 'ns'];
  if (ns < 1e6) return [1e3, 'µs'];
  if (ns < 1e9) return [1e6, 'ms'];
  return [1e9, 's'];
}

/** @param {number} value @returns {string} three significant digits */
function digits(value) {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** @param {number} ns per operation @returns {string} operations per second */
function formatRate(ns) {
  const perSecond = 1e9 / ns;
  if (perSecond >= 1e6) return `${digits(perSecond / 1e6)} M/s`;
  if (perSecond >= 1e3) return `${digits(perSecond / 1e3)} k/s`;
  return `${digits(perSecond)} /s`;
}

/** @param {number | undefined} ratio */
function formatRatio(ratio) {
  return ratio === undefined ? '–' : `${digits(ratio)}×`;
}

/** @param {ReportRow} row */
function formatBudget(row) {
  if (row.budget === undefined) return '';
  return `${row.budget.text} ${row.withinBudget ? 'met' : '**missed**'}`;
}

/**
 * The results as Markdown: one table per group, then the groups that failed
 * as a whole (their process crashed or ran past its limit).
 * @param {ReportRow[]} rows
 * @param {Record<string, unknown>} machine
 * @param {string[]} [groupFailures]
 */
export function toMarkdown(rows, machine, groupFailures = []) {
  const lines = [
    `Machine: ${machine.cpu}, ${machine.nproc} cores, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAverage}.`,
    'Times are per operation (cost rows: per run); ratios are time over the reference\'s time (lower is faster; 0.5× = twice the throughput); memory rows give RSS, and their ratios are RSS over the floor\'s.',
    'Budgets are the issues\' targets (speed, memory), reported for reading, never asserted.',
  ];
  for (const group of [...new Set(rows.map((row) => row.group))]) {
    const members = rows.filter((row) => row.group === group);
    // Groups with a single-threaded baseline (real work) show each row's speedup over it.
    const speedups = members.some((row) => row.baseline !== undefined);
    lines.push('', `**${members[0].title}**`, '');
    lines.push(`| row | role | median | p25–p75 | rate |${speedups ? ' speedup |' : ''} × floor | × best anchor | budget |`);
    lines.push(`|---|---|--:|--:|--:|${speedups ? '--:|' : ''}--:|--:|---|`);
    for (const row of members) {
      if (row.failure !== undefined) {
        lines.push(`| ${row.label} | ${row.role} | failed: ${row.failure.replaceAll('|', '\\|')} | | |${speedups ? ' |' : ''} | | |`);
        continue;
      }
      const [divisor, unit] = unitOf(row);
      const spread = `${digits(row.p25 / divisor)}–${digits(row.p75 / divisor)} ${unit}`;
      const rate = row.kind === 'cost' || row.kind === 'memory' ? '' : formatRate(row.median);
      lines.push(
        `| ${row.label} | ${row.role} | ${digits(row.median / divisor)} ${unit} | ${spread} | ${rate} |${speedups ? ` ${formatRatio(row.speedup)} |` : ''} ${formatRatio(row.vsFloor)} | ${formatRatio(row.vsBestAnchor)} | ${formatBudget(row)} |`,
      );
    }
  }
  if (groupFailures.length > 0) lines.push('', '**Groups that failed as a whole**', '', ...groupFailures.map((failure) => `- ${failure}`));
  return lines.join('\n') + '\n';
}
