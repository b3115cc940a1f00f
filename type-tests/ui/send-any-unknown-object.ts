import { send } from './api.js';

declare const anything: any;
declare const something: unknown;
declare const someObject: object;
declare const empty: {};
send(anything);
send(something);
send(someObject);
send(empty);
send({ payload: anything });
