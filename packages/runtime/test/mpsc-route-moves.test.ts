import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { channel, type Receiver } from '@sendsync/runtime/sync/mpsc';

/*
 * A Receiver that moves from thread to thread while other threads send it messages holding an Arc: into a thread by
 * spawn's move (the main thread keeps a link), back through a channel as bytes (the link then reaches nobody), while
 * senders use the courier and the main thread sends too (by its inbox, its link or the courier, as the receiver moves).
 * Nothing may be lost, nothing received twice, and every count must come back.
 */

const SENDERS = 3;
const PER_SENDER = 1_000;
const FROM_MAIN = 300;
const PER_HOP = 97;

describe('a Receiver moving while messages holding shared memory are in flight', { timeout: 300_000 }, () => {
  it('loses nothing, receives nothing twice, and gives every count back', () => {
    const arc = new Arc(1);
    const [tx, rx] = channel<{ from: number; index: number; arc: Arc<number> }>();
    const [back, backRx] = channel<{ rx: Receiver<{ from: number; index: number; arc: Arc<number> }>; seen: number[] }>();
    const senders = Array.from({ length: SENDERS }, (_, from) =>
      spawn(move(tx.clone(), arc.clone(), from, PER_SENDER), (tx, arc, from, count) => {
        for (let index = 0; index < count; index++) tx.send({ from, index, arc: arc.clone() });
        arc.drop();
        tx.drop();
      }),
    );
    const total = SENDERS * PER_SENDER + FROM_MAIN;
    const seen = new Map<number, Set<number>>();
    const note = (from: number, index: number): void => {
      const set = seen.get(from) ?? new Set<number>();
      if (set.has(index)) throw new Error(`received twice: ${from}/${index}`);
      set.add(index);
      seen.set(from, set);
    };
    let receiver = rx;
    let received = 0;
    let sentFromMain = 0;
    let hops = 0;
    while (received < total) {
      // A hop: the receiver moves into a thread, which takes some messages and sends it back as bytes.
      const hop = spawn(move(receiver, back.clone(), PER_HOP, total - received), (rx, back, take, left) => {
        const got: number[] = [];
        for (let i = 0; i < Math.min(take, left); i++) {
          const { from, index, arc } = rx.recv();
          got.push(from, index);
          arc.drop();
        }
        back.send({ rx, seen: got });
        back.drop();
      });
      // Meanwhile the main thread sends too: through its link to the thread, or the courier once the receiver left it.
      for (let i = 0; i < 10 && sentFromMain < FROM_MAIN; i++) tx.send({ from: SENDERS, index: sentFromMain++, arc: arc.clone() });
      const returned = backRx.recv();
      hop.join();
      hops++;
      for (let i = 0; i < returned.seen.length; i += 2) note(returned.seen[i], returned.seen[i + 1]);
      received += returned.seen.length / 2;
      receiver = returned.rx;
      // And in its own thread for a while: its inbox, or the courier.
      for (let i = 0; i < 5 && received < total; i++) {
        if (sentFromMain < FROM_MAIN) tx.send({ from: SENDERS, index: sentFromMain++, arc: arc.clone() });
        const { from, index, arc: got } = receiver.recv();
        note(from, index);
        got.drop();
        received++;
      }
    }
    for (const sender of senders) sender.join();
    expect(sentFromMain).toBe(FROM_MAIN);
    expect(hops).toBeGreaterThan(10);
    for (let from = 0; from < SENDERS; from++) expect(seen.get(from)?.size).toBe(PER_SENDER);
    expect(seen.get(SENDERS)?.size).toBe(FROM_MAIN);
    tx.drop();
    expect(() => receiver.tryRecv()).toThrow(/disconnected/);
    receiver.drop();
    expect(arc.strongCount()).toBe(1);
  });
});
