// E0382: a function that moves its parameter, passed as a value: to an array's `forEach`/`map` (each element moves), or by another name.
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<number[]>();
function post(job: number[]): void {
  tx.send(job);
}

const first = [1];
const second = [2];
[first, second].forEach(post);
first.push(3); // the sender's copy: the receiver never sees it

const batch = [[4], [5]];
batch.map(post);
console.log(batch); // moved by `batch.map(post)`, as Rust's `batch.into_iter().map(post)`

const send = post;
const last = [6];
send(last);
console.log(last, [...rx.tryIter()]);
