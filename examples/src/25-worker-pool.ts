/**
 * The Rust book's worker pool: workers share one receiver, `Arc<Mutex<Receiver<Job>>>`.
 *
 * Rust: `let receiver = Arc::new(Mutex::new(receiver));` then each worker loops on
 * `receiver.lock().unwrap().recv()`, and the pool shuts down when the sender is
 * dropped (every `recv` then fails).
 *
 * A channel end lives in the process's shared heap, so it can sit in a lock's
 * value: whichever thread holds the lock receives the next job. A job is data
 * (a function cannot cross threads); the worker knows what to do with it.
 */
import { move, spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { RecvError, channel, type Receiver, type Sender } from '@sendsync/runtime/sync/mpsc';

interface Job {
  readonly id: number;
  readonly n: number;
}

const WORKERS = 4;
const JOBS = 1000;

class ThreadPool {
  readonly #sender: Sender<Job>;
  readonly #workers: JoinHandle<number>[] = [];

  constructor(size: number, results: Sender<[number, number]>) {
    const [sender, receiver] = channel<Job>();
    this.#sender = sender;
    const shared = new Arc(new Mutex(receiver));
    for (let id = 0; id < size; id++) {
      this.#workers.push(
        spawn(move(shared.clone(), results.clone()), (receiver: Arc<Mutex<Receiver<Job>>>, results) => {
          let done = 0;
          for (;;) {
            let job: Job | undefined;
            {
              using guard = receiver.value.lock(); // held while waiting, as in the book
              try {
                job = guard.value.recv();
              } catch (error) {
                if (!(error instanceof RecvError)) throw error; // every sender is gone: shut down
              }
            }
            if (job === undefined) break;
            results.send([job.id, job.n * job.n]);
            done++;
          }
          return done; // the worker drops its `receiver` and `results` as it ends
        }),
      );
    }
    shared.drop();
  }

  execute(job: Job): void {
    this.#sender.send(job);
  }

  /** Rust's `Drop for ThreadPool`: drop the sender, then join every worker. */
  shutDown(): number[] {
    this.#sender.drop();
    return this.#workers.map((worker) => worker.join());
  }
}

const [results, answers] = channel<[number, number]>();
const pool = new ThreadPool(WORKERS, results);
results.drop();
for (let id = 0; id < JOBS; id++) pool.execute({ id, n: id });
const done = pool.shutDown();

const seen = new Set<number>();
let sum = 0;
for (const [id, square] of answers) {
  seen.add(id);
  sum += square;
}
console.log(`${WORKERS} workers ran ${done.reduce((a, b) => a + b, 0)} jobs, ${seen.size} different ones`);
console.log(`sum of squares: ${sum}`);
