import type { NotSend, NotSync, Send, Sync } from '@sendsync/marker';
import type { Cell } from '@sendsync/runtime/cell';
import type { Rc } from '@sendsync/runtime/rc';
import { send, share } from './api.js';

class Point {
  constructor(readonly x: number, readonly y: number) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
// unsafe impl Send for Point {}
interface Point extends Send {}

send(new Point(3, 4)); // accepted: vouched for
share(new Point(3, 4)); // rejected: Send does not give Sync, and `norm` is a function

declare const session: { token: string } & NotSend;
send(session);
share(session); // accepted: only Send was opted out

declare const scratch: { buffer: number[] } & NotSync;
send(scratch);
share(scratch);

// Forged opt-ins: the brands contradict, and a contradiction is not Send
// (TypeScript would reduce the intersection to `never`, which every check accepts).
declare const forged: Rc<number> & Send;
send(forged);
declare const contradictory: { id: number } & Send & NotSend;
send(contradictory);
declare const forgedSync: Cell<number> & Sync;
share(forgedSync);
