/**
 * A long-running service: worker threads answer requests, each on the reply channel it carries, until their request channels are dropped.
 *
 * Rust: a worker per thread looping `for request in rx { request.reply.send(work(request.job)) }`,
 * and a `Drop` that drops the senders and joins the workers.
 *
 * Each worker owns the `Receiver` of its own request channel; the service
 * holds the `Sender`s and spreads requests over them in turn. A request
 * carries a `Sender` for its answer (Rust's one-shot reply channel), which
 * moves with the message. Shutting down is dropping: `using` drops every
 * request `Sender` at the end of the block, each worker's `for…of` ends once
 * it has answered what was already queued (nothing is lost), and the service
 * joins the workers then.
 */
import { move, spawn, type JoinHandle } from '@sendsync/runtime';
import { channel, type Receiver, type Sender } from '@sendsync/runtime/sync/mpsc';
import { countPrimes } from './data/primes.js';

/** A request: count the primes in `[from, to)`, and send the count to `reply`. */
interface Request {
  readonly from: number;
  readonly to: number;
  readonly reply: Sender<number>;
}

class PrimeService implements Disposable {
  readonly #senders: Sender<Request>[] = [];
  readonly #workers: JoinHandle<number>[] = [];
  #next = 0;

  constructor(workers: number) {
    for (let index = 0; index < workers; index++) {
      const [sender, inbox] = channel<Request>();
      this.#senders.push(sender);
      this.#workers.push(
        spawn(move(inbox), (inbox) => {
          let served = 0;
          for (const { from, to, reply } of inbox) {
            reply.send(countPrimes(from, to));
            reply.drop();
            served++;
          }
          return served;
        }),
      );
    }
  }

  /** Sends a request to the next worker; the answer comes on the returned `Receiver`. */
  request(from: number, to: number): Receiver<number> {
    const [reply, answer] = channel<number>();
    this.#senders[this.#next++ % this.#senders.length].send({ from, to, reply });
    return answer;
  }

  /** How many requests each worker served, once they all stopped. */
  served: number[] = [];

  /** Shuts the service down: drops the request channels, then waits for each worker to answer what it has and stop. */
  [Symbol.dispose](): void {
    for (const sender of this.#senders) sender.drop();
    this.served = this.#workers.map((worker) => worker.join());
  }
}

const limit = 1_000_000;
const step = 5_000;
let primes = 0;
const service = new PrimeService(4);
const answers: Receiver<number>[] = [];
{
  using running = service;
  for (let from = 0; from < limit; from += step) answers.push(running.request(from, from + step));
} // the service shuts down here, its requests still queued: each worker answers what it has, stops, and is joined
for (const answer of answers) primes += answer.recv(); // so every answer is there
console.log(`${primes} primes below ${limit}, counted by a service of 4 worker threads`);
console.log(`requests served per worker: ${service.served.join(', ')}`);
console.log(`the same count as one thread: ${primes === countPrimes(0, limit)}`);
