import { Local, send } from './api.js';

declare const maybe: number | string | undefined;
send(maybe); // accepted
declare const mixed: number | (() => void);
send(mixed);
declare const either: Local<string> | { ok: true };
send(either);
