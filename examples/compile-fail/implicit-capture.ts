// A closure that uses a variable of its module without moving it: the thread
// has the module's imports, not its own declarations (the spawn is refused).
import { spawn } from '@sendsync/runtime';

const limit = 10;
spawn(() => Math.min(limit, 20)).join();
