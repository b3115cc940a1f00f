import { Local, moveAll, send } from './api.js';

send(new Local(5));
moveAll(1, 'two', new Local([3]));
send({ config: { cache: new Local(1n) } });
