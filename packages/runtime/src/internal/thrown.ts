/**
 * The wire form of a thrown value: it carries a thread's panic across with
 * its class name, message, stack, `cause` and own properties, which
 * structured clone alone would lose.
 */

import { host } from '#host';

/** A thrown value on the wire. */
export type ThrownWire =
  | { readonly kind: 'value'; readonly value: unknown }
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly className: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly cause?: ThrownWire;
      readonly errors?: ThrownWire[];
      readonly props: Record<string, unknown>;
    };

const BUILT_IN: Record<string, new (message?: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
};

/** How deep nested causes are carried. */
const MAX_CAUSE_DEPTH = 8;

/**
 * Turns a thrown value into data that structured clone carries. Total: a
 * value whose reading throws (a hostile `Proxy`, a throwing getter) or that
 * cannot cross (a `Symbol`) becomes a described stand-in, so that a thread's
 * panic is always reported and its worker's task loop goes on.
 */
export function encodeThrown(thrown: unknown, depth = 0): ThrownWire {
  if (typeof thrown === 'symbol') return standIn(thrown, `a Symbol cannot cross threads (${String(thrown)})`);
  try {
    return encodeReadable(thrown, depth);
  } catch (failure) {
    return standIn(thrown, describeFailure(failure));
  }
}

/** `encodeThrown` for a value that may throw while it is read. */
function encodeReadable(thrown: unknown, depth: number): ThrownWire {
  if (!(thrown instanceof Error) || depth > MAX_CAUSE_DEPTH) return { kind: 'value', value: cloneable(thrown) };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'cause' || key === 'errors') continue;
    props[key] = cloneable((thrown as unknown as Record<string, unknown>)[key]);
  }
  const stack: unknown = thrown.stack;
  const wire: {
    -readonly [Key in keyof Extract<ThrownWire, { kind: 'error' }>]: Extract<ThrownWire, { kind: 'error' }>[Key];
  } = {
    kind: 'error',
    name: text(thrown.name),
    className: text(thrown.constructor?.name ?? 'Error'),
    message: text(thrown.message),
    stack: stack === undefined ? undefined : text(stack),
    props,
  };
  if ('cause' in thrown) wire.cause = encodeThrown(thrown.cause, depth + 1);
  if (thrown instanceof AggregateError) wire.errors = thrown.errors.map((error: unknown) => encodeThrown(error, depth + 1));
  return wire;
}

/** A string field as a string (a getter may return anything; `String` of a hostile object throws, caught above). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** An Error named after what could be read of `thrown`, saying why the rest could not. */
function standIn(thrown: unknown, reason: string): ThrownWire {
  const name = readableKind(thrown);
  const message = `the thread threw a value that could not be read: ${reason}`;
  return { kind: 'error', name, className: 'Error', message, stack: `${name}: ${message}`, props: {} };
}

/** What can safely be told of a value: `Symbol`, `Proxy`, its class name, or its type. */
function readableKind(value: unknown): string {
  if (typeof value === 'symbol') return 'Symbol';
  if (host.isProxy(value)) return 'Proxy';
  try {
    const name: unknown = (value as { constructor?: { name?: unknown } } | null | undefined)?.constructor?.name;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // A throwing `constructor` getter: only its type is known.
  }
  return typeof value;
}

/** Why reading a thrown value failed, told without trusting the failure either. */
function describeFailure(failure: unknown): string {
  try {
    if (failure instanceof Error) return `reading it threw ${text(failure.name)}: ${text(failure.message)}`;
    return `reading it threw ${text(failure)}`;
  } catch {
    return 'reading it threw, and so did reading what it threw';
  }
}

/** A value structured clone accepts: itself when it is, otherwise a description. */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return String(value);
  }
}

/** Rebuilds a thrown value from its wire form. */
export function decodeThrown(wire: ThrownWire): unknown {
  if (wire.kind === 'value') return wire.value;
  const options = wire.cause === undefined ? undefined : { cause: decodeThrown(wire.cause) };
  let error: Error;
  if (wire.errors !== undefined) {
    error = new AggregateError(wire.errors.map(decodeThrown), wire.message, options);
  } else {
    const Class = BUILT_IN[wire.className] ?? Error;
    error = new Class(wire.message);
    if (options !== undefined) Object.defineProperty(error, 'cause', { value: options.cause, writable: true, configurable: true });
  }
  if (error.name !== wire.name) {
    Object.defineProperty(error, 'name', { value: wire.name, writable: true, configurable: true });
  }
  if (!(wire.className in BUILT_IN) && wire.className !== 'AggregateError') {
    // A class of the thread's own: keep its name on a prototype of that name.
    const prototype = Object.create(Error.prototype) as Error;
    Object.defineProperty(prototype, 'constructor', {
      value: { [wire.className]: function () {} }[wire.className],
      configurable: true,
      writable: true,
    });
    Object.setPrototypeOf(error, prototype);
  }
  Object.defineProperty(error, 'stack', { value: wire.stack, writable: true, configurable: true });
  Object.assign(error, wire.props);
  return error;
}
