// A small API of the kind a library puts the marker's check types on.
import type { CheckSend, CheckSendEach, CheckSync, Traits } from '@sendsync/marker';

export declare function send<Value>(value: CheckSend<Value, 'value'>): void;
export declare function share<Value>(value: CheckSync<Value, 'value'>): void;
export declare function moveAll<Values extends unknown[]>(...values: CheckSendEach<Values, 'captures'>): Values;
export declare function run<Result>(body: () => CheckSend<Result, 'result'>): Result;

/** A single-threaded counter, like `Rc`. */
export declare class Local<T> {
  constructor(value: T);
  value: T;
}
export interface Local<T> extends Traits<'Local', T, 'never', 'never'> {}

/** An interior-mutability cell, like `Cell`: Send when T is, never Sync. */
export declare class Slot<T> {
  constructor(value: T);
  get(): T;
  set(value: T): void;
}
export interface Slot<T> extends Traits<'Slot', T, 'T: Send', 'never'> {}
