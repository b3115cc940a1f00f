// E0382: a value used after a channel, a lock or an Arc took it.
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<{ id: number; tags: string[] }>();
const job = { id: 1, tags: ['new'] };
tx.send(job);
job.tags.push('urgent'); // changes the sender's copy: the receiver never sees it

const items = [1, 2];
const lock = new Mutex(items);
items.push(3); // the lock holds its own copy

const [arcs] = channel<Arc<string>>();
const name = new Arc('pool');
arcs.send(name);
console.log(name.value, rx.recv(), lock.isPoisoned()); // the Arc is the receiver's now: move a clone
