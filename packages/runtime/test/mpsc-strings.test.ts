import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { channel, syncChannel } from '@sendsync/runtime/sync/mpsc';
import { KINDS, batch, receiveAll, type Kind } from './fixtures/mpsc/string-batches.js';

/*
 * Arrays of strings through channels, between real threads: the serializer writes them as one
 * run of UTF-8 (`STRINGS`, `ASCII_STRINGS`), encoded a run of elements at a time and decoded so
 * too. Every kind of text an element may hold, at the seams of those runs, of the overflow
 * chain's segments and past a segment's size. The receiving thread builds the same batches
 * itself (fixtures/mpsc/string-batches.ts) and compares.
 */

describe('arrays of strings through channels, between threads', { timeout: 300_000 }, () => {
  for (const kind of ['channel', 'syncChannel'] as const) {
    it(`every kind of text, from 64 units to 3 MB a message, through ${kind}()`, () => {
      // Sizes: just past the joined form's threshold, ring-sized, past the first segments (16 KiB and up), past the largest (1 MiB).
      const plan: [Kind, number, number][] = [];
      let seed = 0;
      for (const units of [64, 3_000, 40_000, 200_000, 1_500_000]) for (const text of KINDS) plan.push([text, seed++, units]);
      const [tx, rx] = kind === 'channel' ? channel<string[]>() : syncChannel<string[]>(4);
      const receiver = spawn(move(rx, structuredClone(plan)), (rx, plan) => receiveAll(rx, plan));
      for (const [text, s, units] of plan) tx.send(batch(text, s, units));
      tx.drop();
      expect(receiver.join()).toBe('');
    });
  }

  it('a burst queued before the receiver starts: many batches across the overflow chain’s segment seams', () => {
    // Batches of 5 to 30 KiB fill the ring, then segment after segment of the chain (16 KiB, doubling) before anything is received.
    const plan: [Kind, number, number][] = [];
    for (let i = 0; i < 200; i++) plan.push([KINDS[i % KINDS.length], 1000 + i, 5_000 + ((i * 3571) % 25_000)]);
    const [tx, rx] = channel<string[]>();
    for (const [text, s, units] of plan) tx.send(batch(text, s, units));
    tx.drop();
    expect(spawn(move(rx, structuredClone(plan)), (rx, plan) => receiveAll(rx, plan)).join()).toBe('');
  });

  it('a 100 MB array of strings, and the small ones around it, from another thread', () => {
    const plan: [Kind, number, number][] = [
      ['ascii', 1, 100],
      ['ascii', 2, 100 << 20],
      ['bmp', 3, 100],
    ];
    const [tx, rx] = channel<string[]>();
    const receiver = spawn(move(rx, structuredClone(plan)), (rx, plan) => receiveAll(rx, plan));
    for (const [text, s, units] of plan) tx.send(batch(text, s, units));
    tx.drop();
    expect(receiver.join()).toBe('');
  });
});
