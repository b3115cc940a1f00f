// E0382: a function held in a `let`, a class field or an object's property that moves its parameter moves the argument of each call.
import { Arc } from '@sendsync/runtime/sync';
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<Arc<number[]>>();
const first = new Arc([1]);

let post = (job: Arc<number[]>): void => tx.send(job);
if (first.value.length > 1) post = (job) => { console.log('sending'); tx.send(job); }; // every function it may hold moves
post(first);
console.log(first.value); // the Arc went to the receiver: UseAfterDropError at run time

class Outbox {
  readonly deliver: (job: Arc<number[]>) => void;
  constructor(out: Sender<Arc<number[]>>) {
    this.deliver = (job) => out.send(job);
  }
}
const second = new Arc([2]);
new Outbox(tx).deliver(second);
console.log(second.value); // moved by `deliver`: the same

const handlers = { post: (job: Arc<number[]>): void => tx.send(job) };
const third = new Arc([3]);
handlers.post(third);
console.log(third.value, [...rx.tryIter()].length); // moved by `handlers.post`: the same
