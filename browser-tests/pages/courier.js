// @ts-check
/**
 * Messages holding shared memory of their own (an `Arc`, a `Mutex`, an
 * atomic, a collection) between threads of a page, through the courier
 * thread, received by receives that await. Each export is one test's body
 * (see runtime.js), returning what the test asserts on.
 */
import { WouldBlockError, move, spawn } from '@sendsync/runtime';
import { Vec } from '@sendsync/runtime/collections';
import { Arc, AtomicI32, AtomicU32, Mutex, Ordering } from '@sendsync/runtime/sync';
import { RecvError, channel } from '@sendsync/runtime/sync/mpsc';

/** @template T @typedef {[import('@sendsync/runtime/sync/mpsc').Sender<T>, import('@sendsync/runtime/sync/mpsc').Receiver<T>]} Channel a channel of T (JavaScript cannot pass channel's type argument) */
/** @typedef {Arc<Mutex<number>>} Counter */
/** @typedef {{ id: number, tally: Arc<AtomicU32> }} Job */
/** @typedef {{ n: number, total: Counter }} Reply */
/** @typedef {{ n: number, total: Counter, reply: import('@sendsync/runtime/sync/mpsc').Sender<Reply> }} Request */

/**
 * A thread sends, `rounds` times, an `Arc<Mutex<number>>`, an `Arc<AtomicI32>`
 * and a `Vec`, each between two plain messages; the page takes them in
 * order with recvAsync, adds to the counter and the atomic, and tells the
 * thread, which reads what the page wrote in the very same memory.
 * @param {number} rounds
 */
export async function handlesFromThread(rounds) {
  const [tx, rx] = /** @type {Channel<string | Counter | Arc<AtomicI32> | Vec<number>>} */ (channel());
  const [doneTx, doneRx] = /** @type {Channel<string>} */ (channel());
  const thread = spawn(move(tx, doneRx, rounds), (tx, doneRx, rounds) => {
    const counter = new Arc(new Mutex(0));
    const atomic = new Arc(new AtomicI32(0));
    for (let round = 0; round < rounds; round++) {
      tx.send(`round ${round}`);
      tx.send(counter.clone());
      tx.send(atomic.clone());
      tx.send(Vec.from([round, round + 1, round + 2]));
    }
    tx.send('end');
    doneRx.recv();
    using guard = counter.value.lock();
    return { counter: guard.value, atomic: atomic.value.load(Ordering.SeqCst) };
  });
  let ordered = true;
  let vecSum = 0;
  for (let round = 0; round < rounds; round++) {
    ordered &&= (await rx.recvAsync()) === `round ${round}`;
    const counter = /** @type {Counter} */ (await rx.recvAsync());
    const atomic = /** @type {Arc<AtomicI32>} */ (await rx.recvAsync());
    const vec = /** @type {Vec<number>} */ (await rx.recvAsync());
    ordered &&= counter instanceof Arc && atomic instanceof Arc && atomic.value instanceof AtomicI32 && vec instanceof Vec;
    {
      using guard = await counter.value.lockAsync();
      guard.value += 1;
    }
    counter.drop();
    atomic.value.fetchAdd(2, Ordering.SeqCst);
    atomic.drop();
    for (const element of vec) vecSum += element;
  }
  ordered &&= (await rx.recvAsync()) === 'end';
  doneTx.send('done');
  const seen = await thread.joinAsync();
  return { ordered, vecSum, seen };
}

/**
 * The Rust book's worker pool: `workers` threads share the job receiver,
 * `Arc<Mutex<Receiver<Job>>>`, and each takes the next job holding the lock
 * (`lockAsync`, then `recvAsync`). The page sends `jobs` jobs, each holding
 * an `Arc` of the shared tally; a worker adds the job's number to the tally
 * and answers the page with the `Arc`; the pool shuts down when the page
 * drops the job sender.
 * @param {number} workers
 * @param {number} jobs
 */
export async function pool(workers, jobs) {
  const [jobTx, jobRx] = /** @type {Channel<Job>} */ (channel());
  const [answerTx, answers] = /** @type {Channel<Job>} */ (channel());
  const shared = new Arc(new Mutex(jobRx));
  const tally = new Arc(new AtomicU32(0));
  const handles = [];
  for (let w = 0; w < workers; w++) {
    handles.push(
      spawn(move(shared.clone(), answerTx.clone()), async (receiver, answerTx) => {
        let done = 0;
        for (;;) {
          /** @type {Job | undefined} */
          let job;
          {
            // Held while waiting, as in the book.
            using guard = await receiver.value.lockAsync();
            try {
              job = await guard.value.recvAsync();
            } catch (error) {
              if (!(error instanceof RecvError)) throw error;
            }
          }
          if (job === undefined) break;
          job.tally.value.fetchAdd(job.id, Ordering.SeqCst);
          answerTx.send({ id: job.id, tally: job.tally });
          done++;
        }
        answerTx.drop();
        receiver.drop();
        return done;
      }),
    );
  }
  shared.drop();
  answerTx.drop();
  for (let id = 0; id < jobs; id++) jobTx.send({ id, tally: tally.clone() });
  jobTx.drop();
  const ids = new Set();
  let arcs = true;
  for await (const { id, tally: held } of answers) {
    ids.add(id);
    arcs &&= held instanceof Arc && held.value instanceof AtomicU32;
    held.drop();
  }
  let done = 0;
  for (const handle of handles) done += /** @type {number} */ (await handle.joinAsync());
  return { answered: ids.size, done, arcs, tally: tally.value.load(Ordering.SeqCst), strongCount: tally.strongCount() };
}

/**
 * Request and reply: a thread serves requests with `for await`, each
 * request holding the page's `Arc<Mutex<number>>` and a reply Sender; it
 * adds the request's number under the lock and replies with the `Arc`,
 * which the page takes with recvAsync.
 * @param {number} requests
 */
export async function requestReply(requests) {
  const [requestTx, requestRx] = /** @type {Channel<Request>} */ (channel());
  const [replyTx, replies] = /** @type {Channel<Reply>} */ (channel());
  const server = spawn(move(requestRx), async (requestRx) => {
    let served = 0;
    for await (const { n, total, reply } of requestRx) {
      {
        using guard = total.value.lock();
        guard.value += n;
      }
      reply.send({ n, total });
      reply.drop();
      served++;
    }
    return served;
  });
  const total = new Arc(new Mutex(0));
  let ordered = true;
  for (let n = 1; n <= requests; n++) {
    requestTx.send({ n, total: total.clone(), reply: replyTx.clone() });
    const reply = await replies.recvAsync();
    {
      // The server added n to the page's own counter: 1 + 2 + … + n.
      using guard = await reply.total.value.lockAsync();
      ordered &&= reply.n === n && guard.value === (n * (n + 1)) / 2;
    }
    reply.total.drop();
  }
  requestTx.drop();
  const served = await server.joinAsync();
  using guard = await total.value.lockAsync();
  return { ordered, served, total: guard.value };
}

/**
 * A thread's blocking receives reach a message whose value waits at the
 * courier: `recv()`, `tryRecv()` and `recvTimeout()` each throw
 * WouldBlockError naming recvAsync, the message stays first, and recvAsync
 * then takes it and the plain message behind it, in order. On the page,
 * `tryRecv()` of such a message throws the same way.
 */
export async function blockingReceiveKeepsTheMessage() {
  const [tx, rx] = /** @type {Channel<{ arc: Arc<AtomicU32> } | string>} */ (channel());
  const [pageTx, pageRx] = /** @type {Channel<{ back: Arc<AtomicU32> } | string>} */ (channel());
  const shared = new Arc(new AtomicU32(7));
  const thread = spawn(move(rx, pageTx), async (rx, pageTx) => {
    /** @param {() => unknown} receive */
    const attempt = (receive) => {
      try {
        receive();
        return 'did not throw';
      } catch (error) {
        return `${/** @type {Error} */ (error).name}${error instanceof WouldBlockError ? '' : ' (not a WouldBlockError)'}: ${/** @type {Error} */ (error).message}`;
      }
    };
    const errors = [attempt(() => rx.recv()), attempt(() => rx.tryRecv()), attempt(() => rx.recvTimeout(10)), attempt(() => [...rx])];
    const first = /** @type {{ arc: Arc<AtomicU32> }} */ (await rx.recvAsync());
    const second = /** @type {string} */ (await rx.recvAsync());
    const value = first.arc.value.fetchAdd(1, Ordering.SeqCst);
    pageTx.send({ back: first.arc });
    pageTx.send('after');
    return { errors, value, second };
  });
  tx.send({ arc: shared.clone() });
  tx.send('behind it');
  let pageError = 'did not throw';
  // The thread's message comes once the thread sent it: wait for it to be in the channel, then poll it.
  for (;;) {
    try {
      pageRx.tryRecv();
      pageError = 'received without awaiting';
      break;
    } catch (error) {
      if (error instanceof WouldBlockError) {
        pageError = `${error.name}: ${error.message}`;
        break;
      }
      if (/** @type {Error} */ (error).name !== 'TryRecvError') throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const back = /** @type {{ back: Arc<AtomicU32> }} */ (await pageRx.recvAsync());
  const after = await pageRx.recvAsync();
  const result = await thread.joinAsync();
  return { ...result, pageError, back: back.back.value.load(Ordering.SeqCst), shared: shared.value.load(Ordering.SeqCst), after };
}

/**
 * A thread spawns `count` others, each returning an `Arc<Mutex<number>>`,
 * and sends their JoinHandles to the page, which awaits each with
 * joinAsync and locks the Arc's Mutex.
 * @param {number} count
 */
export async function joinHandleFromThread(count) {
  const [tx, rx] = /** @type {Channel<import('@sendsync/runtime').JoinHandle<Counter>>} */ (channel());
  const parent = spawn(move(tx, count), async (tx, count) => {
    const [startedTx, started] = /** @type {Channel<number>} */ (channel());
    const children = [];
    for (let i = 0; i < count; i++) {
      children.push(
        spawn(move(i, startedTx.clone()), (i, startedTx) => {
          startedTx.send(i);
          return new Arc(new Mutex(i * 10));
        }),
      );
    }
    startedTx.drop();
    // Chromium loads a worker's own workers through its event loop: awaited here, they start before this thread ends.
    for (let i = 0; i < count; i++) await started.recvAsync();
    for (const child of children) tx.send(child);
    tx.drop();
  });
  const values = [];
  for await (const handle of rx) {
    const arc = await handle.joinAsync();
    using guard = await arc.value.lockAsync();
    values.push(guard.value);
  }
  await parent.joinAsync();
  return values;
}


/**
 * The page drops its Receiver with `count` messages from a thread unread,
 * each holding a clone of the page's `Arc`, waiting at the courier: the
 * channel fetches them without blocking and drops them, and the `Arc`'s
 * strong count comes back to 1. Returns the count before the drop and
 * after (polled until it is 1, for at most `patienceMs`).
 * @param {number} count
 * @param {number} patienceMs
 */
export async function droppedUnread(count, patienceMs) {
  const [tx, rx] = /** @type {Channel<Arc<AtomicU32>>} */ (channel());
  const tally = new Arc(new AtomicU32(0));
  await spawn(move(tx, tally.clone(), count), (tx, tally, count) => {
    for (let i = 0; i < count; i++) tx.send(tally.clone());
    tx.drop();
    tally.drop();
  }).joinAsync();
  const before = tally.strongCount();
  rx.drop();
  // The drops come as the courier's replies do, on this page's event loop.
  const deadline = performance.now() + patienceMs;
  while (tally.strongCount() !== 1 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return { before, after: tally.strongCount() };
}
