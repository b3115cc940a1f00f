import type { NotSend, NotSync, Send } from '@sendsync/marker';
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
