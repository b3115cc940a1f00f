// E0382: a field moved out of an object (Rust's partial move), then used, or the object used whole.
import { channel } from '@sendsync/runtime/sync/mpsc';

interface Request {
  id: number;
  payload: string[];
}

const [tx, rx] = channel<string[]>();
const request: Request = { id: 1, payload: ['a', 'b'] };
tx.send(request.payload);
console.log(request.id); // another field: fine
request.payload.push('c'); // the sender's copy: the receiver never sees it
console.log(request, rx.recv()); // borrow of partially moved value
