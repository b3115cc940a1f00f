// A closure that uses a variable from around it without moving it: in the
// thread, `limit` would not exist (a ReferenceError).
import { spawn } from '@sendsync/runtime';

const limit = 10;
spawn(() => Math.min(limit, 20)).join();
