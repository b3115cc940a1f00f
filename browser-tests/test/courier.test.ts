/**
 * Messages holding shared memory of their own (`Arc`, `Mutex`, atomics,
 * collections) between a page's threads, through the courier thread, taken
 * by receives that await; a blocking receive of one throws and keeps it.
 * Each case runs one export of pages/courier.js, in headless Chromium.
 */
import { describe, expect, it } from 'vitest';
import { pageSession } from './page-session.js';

const { call } = pageSession('/browser-tests/pages/courier.js');

/** What a blocking receive of a message waiting at the courier says. */
const USE_RECV_ASYNC = /^WouldBlockError: cannot take this message here without awaiting: .*courier.*; use recvAsync \(or for await\): the message stays first in the channel$/;

describe('handles with memory of their own in messages, in a browser', () => {
  it("takes a thread's Arc<Mutex<number>>, AtomicI32 and Vec with recvAsync, in order, sharing their memory", async () => {
    const rounds = 50;
    const vecSum = Array.from({ length: rounds }, (_, round) => 3 * round + 3).reduce((a, b) => a + b, 0);
    expect(await call('handlesFromThread', rounds)).toEqual({ ordered: true, vecSum, seen: { counter: rounds, atomic: 2 * rounds } });
  });

  it("runs the Rust book's pool (Arc<Mutex<Receiver>>) on jobs holding an Arc, answered to the page", async () => {
    const jobs = 500;
    expect(await call('pool', 4, jobs)).toEqual({ answered: jobs, done: jobs, arcs: true, tally: (jobs * (jobs - 1)) / 2, strongCount: 1 });
  });

  it('serves requests holding an Arc<Mutex<number>> to a thread receiving with for await, replies to recvAsync', async () => {
    const requests = 200;
    expect(await call('requestReply', requests)).toEqual({ ordered: true, served: requests, total: (requests * (requests + 1)) / 2 });
  });

  it('throws WouldBlockError naming recvAsync from a blocking receive, and keeps the message first for recvAsync', async () => {
    const outcome = (await call('blockingReceiveKeepsTheMessage')) as { errors: string[]; pageError: string };
    expect(outcome.errors).toHaveLength(4);
    for (const error of outcome.errors) expect(error).toMatch(USE_RECV_ASYNC);
    expect(outcome.pageError).toMatch(USE_RECV_ASYNC);
    expect(outcome).toMatchObject({ value: 7, second: 'behind it', back: 8, shared: 8, after: 'after' });
  });

  it("drops the messages of a Receiver dropped unread, fetched from the courier without blocking: the Arc's count comes back", async () => {
    expect(await call('droppedUnread', 20, 30_000)).toEqual({ before: 21, after: 1 });
  });

  it("awaits with joinAsync the JoinHandles a thread sent, of threads returning an Arc<Mutex<number>>", async () => {
    expect(await call('joinHandleFromThread', 5)).toEqual([0, 10, 20, 30, 40]);
  });
});
