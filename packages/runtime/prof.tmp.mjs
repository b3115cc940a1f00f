import { HashMap, VecDeque } from '@sendsync/runtime/collections';
import { Mutex } from '@sendsync/runtime/sync';
const which = process.argv[2];
for (const size of [10, 1000, 100000]) {
  let run;
  if (which === 'deque') {
    const queue = new Mutex(VecDeque.from(Array.from({ length: size }, (_, i) => i)));
    run = (n) => { for (let i = 0; i < n; i++) { const g = queue.lock(); const d = g.value; d.pushBack(i); d.popFront(); g[Symbol.dispose](); } };
  } else {
    const map = new Mutex(HashMap.from(Array.from({ length: size }, (_, i) => [i, `value ${i}`])));
    run = (n) => { for (let i = 0; i < n; i++) { const g = map.lock(); g.value.set(i % size, 'changed'); g[Symbol.dispose](); } };
  }
  run(200000);
  const best = [];
  for (let r = 0; r < 5; r++) { const t = performance.now(); run(1_000_000); best.push((performance.now() - t)); }
  console.log(which, size, Math.min(...best).toFixed(0), 'ns/op (min of 5)');
}
