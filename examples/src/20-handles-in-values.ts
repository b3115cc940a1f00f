/**
 * Handles inside values: a reply channel in each request, and shared handles inside a lock's data.
 *
 * Rust: `tx.send(Request { job, reply: reply_tx })`, and
 * `Arc<Mutex<Stats { served: AtomicU32, log: Arc<RwLock<Vec<String>>> }>>`.
 *
 * A library handle may sit anywhere inside a value that crosses threads: a
 * `Sender` inside a message (it moves with the message, and its count with
 * it), an `AtomicU32` and an `Arc<RwLock>` inside a `Mutex`'s data (they are
 * kept in the lock's handle table, so every thread that holds the lock holds
 * the same handles).
 */
import { move, spawn } from '@sendsync/runtime';
import { Arc, AtomicU32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

interface Request {
  readonly job: number;
  readonly reply: Sender<number>;
}

const stats = new Arc(new Mutex({ workers: 0, served: new AtomicU32(0), log: new Arc(new RwLock<string[]>([])) }));
const [requests, inbox] = channel<Request>();

// One server thread answers every request on the channel that came with it.
const server = spawn(move(inbox, stats.clone()), (inbox, stats) => {
  {
    using guard = stats.value.lock();
    guard.value.workers += 1;
  }
  for (const { job, reply } of inbox) {
    using replyTo = reply;
    replyTo.send(job * job);
    using guard = stats.value.lock();
    guard.value.served.fetchAdd(1, Ordering.SeqCst);
    using log = guard.value.log.value.write();
    log.value.push(`squared ${job}`);
  }
}); // the thread drops its `stats` as it ends

const answers: number[] = [];
for (const job of [3, 4, 5]) {
  const [replyTx, replyRx] = channel<number>();
  requests.send({ job, reply: replyTx }); // the reply sender travels inside the request
  answers.push(replyRx.recv()); // and is dropped by the server, so this channel closes after one answer
}
requests.drop(); // the server's loop ends
server.join();

using guard = stats.value.lock();
using log = guard.value.log.value.read();
console.log(`answers ${answers.join(', ')}`);
console.log(`${guard.value.workers} worker served ${guard.value.served.load(Ordering.SeqCst)} requests: ${log.value.join('; ')}`);
