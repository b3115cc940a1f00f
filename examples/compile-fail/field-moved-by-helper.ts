// E0382: a field moved inside a function of the app (Rust's partial move through `fn deliver(req: Request)`), then used.
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

interface Request {
  id: number;
  payload: string[];
}

function deliver(tx: Sender<string[]>, request: Request): void {
  tx.send(request.payload);
}

const [tx, rx] = channel<string[]>();
const request: Request = { id: 1, payload: ['a', 'b'] };
deliver(tx, request);
console.log(request.id); // another field: fine
request.payload.push('c'); // the sender's copy: the receiver never sees it
console.log(request, rx.recv()); // borrow of partially moved value
