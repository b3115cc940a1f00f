import { Vec } from '@sendsync/runtime/collections';
import { channel } from '@sendsync/runtime/sync/mpsc';
const [tx, rx] = channel();
const vec = new Vec();
vec.push(tx);
for (let i = 0; i < 3; i++) { const t = vec.get(0); t.send(i); t.drop(); }
try { console.log('after 3 get+drop, send:', (vec.get(0).send(9), 'ok')); } catch (e) { console.log('send failed', e.message); }
console.log([...rx.tryIter()]);
const popped = vec.pop();
popped.drop();
try { rx.recv(); } catch (e) { console.log('recv after pop+drop:', e.name); }
