// E0505: a closure kept in a field borrows what it reads; called after that value moved, it uses a moved value.
import { move, spawn } from '@sendsync/runtime';
import { channel, type Sender } from '@sendsync/runtime/sync/mpsc';

class Download {
  onProgress: (percent: number) => void = () => {};

  start(progress: Sender<number>): void {
    this.onProgress = (percent) => progress.send(percent);
    this.onProgress(0);
    spawn(move(progress), (progress) => progress.send(50)).join();
    this.onProgress(100); // `progress` went to the thread: UseAfterDropError at run time
  }
}

const [tx, rx] = channel<number>();
new Download().start(tx);
console.log([...rx]);
