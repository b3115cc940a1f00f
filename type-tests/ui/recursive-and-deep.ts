import { Local, send } from './api.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
declare const json: Json;
send(json); // accepted

interface List {
  value: number;
  next: List | null;
}
declare const list: List;
send(list); // accepted

interface Listener {
  next: Listener | null;
  notify: () => void;
}
declare const listener: Listener;
send(listener);

// 50 levels of nesting, written out.
declare const deepGood: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: string } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } };
declare const deepBad: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: { a: Local<number> } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } };
send(deepGood); // accepted, without TS2589
send(deepBad);
