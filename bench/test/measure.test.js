// @ts-check
/**
 * The harness records a failed row and measures the rest of its group: a row
 * that throws (an anchor that lost messages), one whose run never settles,
 * and one whose setup throws each come back with their reason, and the rows
 * beside them with every sample.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureGroup } from '../lib/measure.js';
import { analyze, toMarkdown } from '../lib/report.js';

/** A row that times a trivial loop. @param {string} id @returns {import('../lib/measure.js').Row} */
function working(id) {
  return {
    id,
    label: id,
    role: id.startsWith('floor') ? 'floor' : 'ours',
    op: 'op',
    floor: id.startsWith('floor') ? undefined : 'floor.loop',
    kind: 'latency',
    run(n) {
      const start = performance.now();
      let sum = 0;
      for (let i = 0; i < n; i++) sum += i;
      if (sum < 0) throw new Error('unreachable');
      return performance.now() - start;
    },
  };
}

test('a failing row is recorded with its reason, and the rest of the group is measured', async () => {
  let runs = 0;
  /** @type {import('../lib/measure.js').Group} */
  const group = {
    id: 'failing',
    title: 'rows that fail',
    rows: [
      working('floor.loop'),
      {
        ...working('anchor.lossy'),
        role: 'anchor',
        // Fails on its fourth run: after calibration, in the sampling rounds.
        run(n) {
          if (++runs > 3) throw new Error('lost messages');
          return working('x').run(n);
        },
      },
      { ...working('anchor.hangs'), role: 'anchor', limitMs: 200, run: () => new Promise(() => {}) },
      {
        ...working('anchor.setup-throws'),
        role: 'anchor',
        setup() {
          throw new Error('no such library');
        },
      },
      working('ours.loop'),
    ],
  };
  const rows = await measureGroup(group, { quick: true, rounds: 3, targetMs: 2 });
  const byId = new Map(rows.map((row) => [row.id, row]));
  assert.equal(byId.get('anchor.lossy')?.failure, 'lost messages');
  assert.match(byId.get('anchor.hangs')?.failure ?? '', /^anchor\.hangs run\(1\) did not finish within 0\.2 s$/);
  assert.equal(byId.get('anchor.setup-throws')?.failure, 'no such library');
  for (const id of ['floor.loop', 'ours.loop']) {
    assert.equal(byId.get(id)?.failure, undefined);
    assert.equal(byId.get(id)?.samples.length, 3);
  }

  const report = analyze(rows.map((row) => ({ ...row, title: group.title })));
  const ours = report.find((row) => row.id === 'ours.loop');
  assert.ok(Number.isFinite(ours?.vsFloor));
  assert.equal(ours?.vsBestAnchor, undefined, 'no failed anchor is a best anchor');
  const markdown = toMarkdown(report, { cpu: 'cpu', nproc: 1, node: 'v', platform: 'p', loadAverage: '0' }, ['group x failed (exit 1)']);
  assert.match(markdown, /\| anchor\.lossy \| anchor \| failed: lost messages \|/);
  assert.match(markdown, /- group x failed \(exit 1\)/);
});
