import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const soak = fileURLToPath(new URL('./fixtures/thread/soak.mjs', import.meta.url));

/** Rounds of warm-up: the first quarter, in which the pool's workers and their heaps reach their size. */
const WARM_UP_ROUNDS = 5;
/**
 * How much RSS may grow after the warm-up. Measured on 2 cores: 8 MiB in
 * steady state over the 15 rounds after it (60,000 threads), and 80 MiB with
 * the per-guard bookkeeping issue 18 found (its 60 s soak went from 51 to
 * 492 MiB).
 */
const GROWTH_BOUND_MIB = 40;

/** Runs fixtures/thread/soak.mjs in a fresh process; the RSS after each round, in MiB. */
async function soakRss(mode: 'clean' | 'leak'): Promise<number[]> {
  const { stdout } = await run(process.execPath, [soak, mode], { encoding: 'utf8', timeout: 300_000 });
  return (JSON.parse(stdout) as { rss: number[] }).rss.map((bytes) => bytes / 2 ** 20);
}

/** The most RSS grew above the warm-up's, in MiB. */
function growthAfterWarmUp(rss: number[]): number {
  const settled = rss[WARM_UP_ROUNDS - 1];
  return Math.max(...rss.slice(WARM_UP_ROUNDS)) - settled;
}

describe('soak', { timeout: 320_000 }, () => {
  it(`lock-heavy, spawn-heavy and channel-heavy threads: after the warm-up, RSS grows less than ${GROWTH_BOUND_MIB} MiB, without forced GC`, async () => {
    const rss = await soakRss('clean');
    expect(rss).toHaveLength(20);
    expect(growthAfterWarmUp(rss)).toBeLessThan(GROWTH_BOUND_MIB);
  });

  it('the same soak sees a leak the size of issue 18 (a FinalizationRegistry entry and a WeakRef per guard)', async () => {
    const rss = await soakRss('leak');
    expect(growthAfterWarmUp(rss)).toBeGreaterThan(GROWTH_BOUND_MIB);
  });
});
