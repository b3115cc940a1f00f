import { run, send } from './api.js';

send(() => 1);
send({ id: 1, onDone: (error?: Error) => error });
send(Promise.resolve(1));
send({ tags: new Set([Symbol('a')]) });
run(() => new WeakMap<object, number>());
