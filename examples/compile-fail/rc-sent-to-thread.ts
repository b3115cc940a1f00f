// The chapter's E0277: an `Rc` moved into a thread.
import { move, spawn } from '@sendsync/runtime';
import { Rc } from '@sendsync/runtime/rc';

const numbers = new Rc([1, 2, 3]);
spawn(move(numbers), (numbers) => Rc.strongCount(numbers));
