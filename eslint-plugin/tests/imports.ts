/** The imports every rule test's code starts with (lines 1-5 of each case). */
export const imports = `import { spawn, move, borrow, scope, Builder, current } from '@sendsync/runtime';
import { Mutex, Arc, AtomicU32, RwLock, Condvar } from '@sendsync/runtime/sync';
import { Cell, RefCell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';
declare const anything: any;
`;
