// E0382: a value used after a function of the app moved it (Rust's `fn post(job: Job)` takes it by value).
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

interface Job {
  id: number;
  tags: string[];
}

function post(tx: Sender<Job>, job: Job): void {
  if (job.tags.length > 0) tx.send(job);
}

const [tx, rx] = channel<Job>();
const job: Job = { id: 1, tags: ['new'] };
post(tx, job);
job.tags.push('urgent'); // changes the sender's copy: the receiver never sees it
console.log(rx.recv());
