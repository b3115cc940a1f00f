// E0505 and E0382 on a field: a closure made before a field's move borrows it, and a dropped field's object handed to code that uses the field.
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

interface Request {
  id: number;
  reply: Sender<string>;
}

const [tx, rx] = channel<string>();
const request: Request = { id: 1, reply: tx.clone() };
const answer = (text: string): void => request.reply.send(text);
answer('accepted');
const [jobs, queue] = channel<Sender<string>>();
jobs.send(request.reply); // the reply channel goes with the job
answer('done'); // `request.reply` was moved: UseAfterDropError at run time

function respond(req: Request, text: string): void {
  req.reply.send(text);
}
const late: Request = { id: 2, reply: tx };
late.reply.drop();
respond(late, 'too late'); // `respond` sends on the dropped Sender: UseAfterDropError at run time
console.log(request.id, [...rx.tryIter()], queue.tryRecv());
