// E0382: a value used after it was moved into a thread.
import { move, spawn } from '@sendsync/runtime';

const numbers = [1, 2, 3];
const handle = spawn(move(numbers), (numbers) => numbers.length);
numbers.push(4);
handle.join();
