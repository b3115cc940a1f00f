/**
 * The wire form of a thrown value: it carries a thread's panic across with
 * its class name, message, stack, `cause` and own properties, which
 * structured clone alone would lose.
 */

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

/** Turns a thrown value into data that structured clone carries. */
export function encodeThrown(thrown: unknown, depth = 0): ThrownWire {
  if (!(thrown instanceof Error) || depth > MAX_CAUSE_DEPTH) return { kind: 'value', value: cloneable(thrown) };
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'cause' || key === 'errors') continue;
    props[key] = cloneable((thrown as unknown as Record<string, unknown>)[key]);
  }
  const wire: {
    -readonly [Key in keyof Extract<ThrownWire, { kind: 'error' }>]: Extract<ThrownWire, { kind: 'error' }>[Key];
  } = {
    kind: 'error',
    name: thrown.name,
    className: thrown.constructor?.name ?? 'Error',
    message: thrown.message,
    stack: thrown.stack,
    props,
  };
  if ('cause' in thrown) wire.cause = encodeThrown(thrown.cause, depth + 1);
  if (thrown instanceof AggregateError) wire.errors = thrown.errors.map((error: unknown) => encodeThrown(error, depth + 1));
  return wire;
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
