/**
 * The helpers that compilers put around the code of a closure and that its
 * source text may call: tsc's (`__awaiter`, `__addDisposableResource`,
 * `__disposeResources`, ...), esbuild's (`__name`, `__using`,
 * `__callDispose`, ...) and Babel's and oxc's (vitest's) `_usingCtx`. A closure crosses as source text, so the thread
 * must define them itself; only the ones a closure names are bound to it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/prefer-promise-reject-errors -- these mirror the compilers' untyped helpers, which rethrow whatever was thrown */

type Any = any;

const SuppressedErrorClass: new (error: unknown, suppressed: unknown, message: string) => Error =
  (globalThis as Any).SuppressedError ??
  class SuppressedError extends Error {
    error: unknown;
    suppressed: unknown;
    constructor(error: unknown, suppressed: unknown, message: string) {
      super(message);
      this.name = 'SuppressedError';
      this.error = error;
      this.suppressed = suppressed;
    }
  };

const disposeSymbol: symbol = (Symbol as Any).dispose ?? Symbol.for('Symbol.dispose');
const asyncDisposeSymbol: symbol = (Symbol as Any).asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/**
 * Where lock guards learn that they are disposed because their block threw
 * (Rust's unwinding, which poisons a lock): see internal/unwinding.ts, which
 * finds the same object through this global symbol.
 */
const unwindState: { unwinding: boolean } = ((globalThis as any)[Symbol.for('sendsync.unwinding')] ??= {
  unwinding: false,
});

/** Marks the runtime's errors that are Rust's `Err` values, not panics (`internal/err-value.ts`). */
const ERR_VALUE: symbol = Symbol.for('sendsync.err-value');

/**
 * Calls `dispose` on `value`, telling it (through `unwindState`) whether a
 * panic is unwinding: an exception is propagating (`hasError`), and it is not
 * one of the runtime's `Err` values (a `RecvError` leaving a guard's block is
 * Rust's `?` returning `Err`, which drops the guard without poisoning).
 */
function disposeUnwinding(hasError: boolean, error: unknown, dispose: Any, value: unknown): unknown {
  const outer = unwindState.unwinding;
  unwindState.unwinding = hasError && !(typeof error === 'object' && error !== null && (error as Any)[ERR_VALUE] === true);
  try {
    return dispose.call(value);
  } finally {
    unwindState.unwinding = outer;
  }
}

function __awaiter(thisArg: unknown, _arguments: unknown, P: PromiseConstructor | undefined, generator: Any): Promise<unknown> {
  const PromiseClass = P ?? Promise;
  return new PromiseClass((resolve, reject) => {
    function fulfilled(value: unknown): void {
      try {
        step(generator.next(value));
      } catch (error) {
        reject(error);
      }
    }
    function rejected(value: unknown): void {
      try {
        step(generator['throw'](value));
      } catch (error) {
        reject(error);
      }
    }
    function step(result: IteratorResult<unknown>): void {
      if (result.done) resolve(result.value);
      else PromiseClass.resolve(result.value).then(fulfilled, rejected);
    }
    generator = generator.apply(thisArg, _arguments ?? []);
    step(generator.next());
  });
}

/**
 * The disposer of a resource added by `using` (`async`: `await using`): its
 * `[Symbol.asyncDispose]`, or its `[Symbol.dispose]` made to report a throw as
 * a rejection. `end` is the compiler's punctuation for the error messages.
 */
function disposerOf(value: Any, async: boolean | undefined, end: string): Any {
  if (typeof value !== 'object' && typeof value !== 'function') throw new TypeError(`Object expected${end}`);
  let dispose: Any;
  let inner: Any;
  if (async) dispose = value[asyncDisposeSymbol];
  if (dispose === undefined) {
    dispose = value[disposeSymbol];
    if (async) inner = dispose;
  }
  if (typeof dispose !== 'function') throw new TypeError(`Object not disposable${end}`);
  if (!inner) return dispose;
  return function (this: unknown) {
    try {
      inner.call(this);
    } catch (error) {
      return Promise.reject(error);
    }
    return undefined;
  };
}

function __addDisposableResource(env: Any, value: Any, async: boolean): unknown {
  if (value !== null && value !== undefined) {
    env.stack.push({ value, dispose: disposerOf(value, async, '.'), async });
  } else if (async) {
    env.stack.push({ async: true });
  }
  return value;
}

function __disposeResources(env: Any): unknown {
  function fail(error: unknown): void {
    env.error = env.hasError ? new SuppressedErrorClass(error, env.error, 'An error was suppressed during disposal.') : error;
    env.hasError = true;
  }
  let resource: Any;
  let sync = 0;
  function next(): unknown {
    while ((resource = env.stack.pop())) {
      try {
        if (!resource.async && sync === 1) {
          sync = 0;
          env.stack.push(resource);
          return Promise.resolve().then(next);
        }
        if (resource.dispose) {
          const result = disposeUnwinding(env.hasError === true, env.error, resource.dispose, resource.value);
          if (resource.async) {
            sync |= 2;
            return Promise.resolve(result).then(next, (error: unknown) => {
              fail(error);
              return next();
            });
          }
        } else {
          sync |= 1;
        }
      } catch (error) {
        fail(error);
      }
    }
    if (sync === 1) return env.hasError ? Promise.reject(env.error) : Promise.resolve();
    if (env.hasError) throw env.error;
    return undefined;
  }
  return next();
}

/** `_usingCtx().e` until the block throws: no exception. */
const NO_ERROR = {};

/**
 * Babel's and oxc's `using` helper (vitest compiles `using` with it): a
 * context whose `u(value)` and `a(value)` add a resource (`using`, `await
 * using`), whose `e` the block's `catch` sets to the exception, and whose
 * `d()` disposes in reverse order, telling each resource whether an exception
 * is unwinding, then rethrows it; a promise when a resource is async. The
 * same work as tsc's pair of helpers, on the same resource stack.
 */
function _usingCtx(): { e: unknown; u(value: unknown): unknown; a(value: unknown): unknown; d(): unknown } {
  const env: { stack: unknown[]; error?: unknown; hasError?: boolean } = { stack: [] };
  const context = {
    e: NO_ERROR as unknown,
    u: (value: unknown): unknown => __addDisposableResource(env, value, false),
    a: (value: unknown): unknown => __addDisposableResource(env, value, true),
    d(): unknown {
      if (context.e !== NO_ERROR) {
        env.error = context.e;
        env.hasError = true;
      }
      return __disposeResources(env);
    },
  };
  return context;
}

function __name<Target>(target: Target, value: string): Target {
  return Object.defineProperty(target, 'name', { value, configurable: true });
}

function __using(stack: Any[], value: Any, async?: boolean): unknown {
  if (value !== null && value !== undefined) {
    stack.push([async, disposerOf(value, async, ''), value]);
  } else if (async) {
    stack.push([async]);
  }
  return value;
}

function __callDispose(stack: Any[], error: unknown, hasError: boolean): unknown {
  const fail = (thrown: unknown): void => {
    error = hasError ? new SuppressedErrorClass(thrown, error, 'An error was suppressed during disposal') : thrown;
    hasError = true;
  };
  const next = (item?: Any): unknown => {
    while ((item = stack.pop())) {
      try {
        const result = item[1] && disposeUnwinding(hasError, error, item[1], item[2]);
        if (item[0]) {
          return Promise.resolve(result).then(next, (thrown: unknown) => {
            fail(thrown);
            return next();
          });
        }
      } catch (thrown) {
        fail(thrown);
      }
    }
    if (hasError) throw error;
    return undefined;
  };
  return next();
}

function __publicField(object: Any, key: PropertyKey, value: unknown): unknown {
  Object.defineProperty(object, typeof key !== 'symbol' ? `${String(key)}` : key, {
    enumerable: true,
    configurable: true,
    writable: true,
    value,
  });
  return value;
}

function __async(thisArg: unknown, args: unknown, generator: Any): Promise<unknown> {
  return __awaiter(thisArg, args, undefined, generator);
}

function __knownSymbol(name: string, symbol?: symbol): symbol {
  return (symbol = (Symbol as Any)[name]) ? symbol : Symbol.for('Symbol.' + name);
}

function __typeError(message: string): never {
  throw new TypeError(message);
}

/** The helpers by name. */
const emitHelpers: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['__awaiter', __awaiter],
  ['__addDisposableResource', __addDisposableResource],
  ['__disposeResources', __disposeResources],
  ['__name', __name],
  ['__using', __using],
  ['__callDispose', __callDispose],
  ['__publicField', __publicField],
  ['__async', __async],
  ['__knownSymbol', __knownSymbol],
  ['__typeError', __typeError],
  ['_usingCtx', _usingCtx],
  ['SuppressedError', SuppressedErrorClass],
]);

export default { emitHelpers };
