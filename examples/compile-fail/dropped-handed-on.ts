// E0382: a handle dropped or joined, then handed to a function of the app that uses it as the runtime refuses.
import { spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';

function describe(config: Arc<{ verbose: boolean }>): string {
  return config.value.verbose ? 'verbose' : 'quiet';
}

function finish(handle: JoinHandle<number>): number {
  return handle.join();
}

const config = new Arc({ verbose: true });
config.drop();
console.log(describe(config)); // `describe` reads `config.value`: UseAfterDropError at run time

const handle = spawn(() => 6 * 7);
console.log(handle.join());
console.log(finish(handle)); // `finish` joins it again: JoinedError at run time
