// E0382: a function given to the app's own higher-order function, which calls it: what it moves, the call moves.
import { Arc } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<Arc<number[]>>();
function post(job: Arc<number[]>): void {
  tx.send(job);
}
function runAll(steps: ((job: Arc<number[]>) => void)[], job: Arc<number[]>): void {
  for (const step of steps) step(job);
}
function repeat(times: number, action: () => void): void {
  for (let i = 0; i < times; i++) action();
}

const job = new Arc([1, 2]);
runAll([post], job);
console.log(job.value); // the Arc went to the receiver: UseAfterDropError at run time

const other = new Arc([3]);
repeat(2, () => tx.send(other)); // the second run sends a moved Arc: UseAfterDropError
console.log([...rx.tryIter()].length);
