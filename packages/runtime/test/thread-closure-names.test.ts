import { describe, expect, it } from 'vitest';
import { closureNeeds } from '../dist/internal/closure-names.js';

/*
 * What the spawner reads in a closure's text: its free names and what no
 * thread can give it. It must never find a free name that is not one (that
 * would refuse a closure that runs), so each case that only looks free is
 * here; the texts are as compilers emit them (no types).
 */

const free = (source: string): readonly string[] => closureNeeds(source).free;

describe('free names of a closure', () => {
  it('finds the names it uses and does not declare', () => {
    expect(free('(value) => double(value)')).toEqual(['double']);
    expect(free('(x) => { const y = helper(x); return { y, z: other, w: x ? a : b }; }')).toEqual(['helper', 'other', 'a', 'b']);
    expect(free('() => obj?.prop.deeper?.(arg)')).toEqual(['obj', 'arg']);
    expect(free('() => { switch (k) { case key: return 1; } }')).toEqual(['k', 'key']);
  });

  it('does not count parameters, locals, patterns, nested functions and classes', () => {
    expect(free('async ({ a, b: [c, d] }, ...rest) => { for (const [k, v] of m) { await k; } return a + c + d + rest.length; }')).toEqual(['m']);
    expect(free('() => { let a = 1, { b } = o, [c] = arr; return a + b + c; }')).toEqual(['o', 'arr']);
    expect(free('() => { try { risky(); } catch ({ message }) { return message; } }')).toEqual(['risky']);
    expect(free('function named(a) { function inner(b) { return b; } return named(inner(a)); }')).toEqual([]);
    expect(free('() => { class K extends Base { field = init(); static s = 1; m(p) { return this.field + p; } } return new K(); }')).toEqual([
      'Base',
      'init',
    ]);
  });

  it('does not count what `using` and `await using` declare (closures as Node 24, Deno and Bun keep them)', () => {
    expect(free('(m) => { using guard = m.lock(); guard.value += 1; }')).toEqual([]);
    expect(free('async (r) => { await using handle = open(r); for (using x of xs) use(x, handle); }')).toEqual(['open', 'xs', 'use']);
    expect(free('() => using.value + using')).toEqual(['using']);
  });

  it('does not count property names, object keys, methods, labels or typeof of a missing name', () => {
    expect(free('() => { const o = { method(x) { return x; }, get g() { return 1; }, key: 1, sh }; return o.key; }')).toEqual(['sh']);
    expect(free('() => { outer: for (;;) { break outer; } }')).toEqual([]);
    expect(free("() => typeof maybe === 'undefined'")).toEqual([]);
  });

  it('skips strings, templates, comments and regular expressions, but not template expressions', () => {
    expect(free('() => "helper" + \'other\' + `text ${inside} text` /* comment */ + /helper/g.source // helper')).toEqual(['inside']);
    expect(free('(s) => s.split(/\\s+/).length / 2')).toEqual([]);
  });

  it('reads names as esbuild escapes them', () => {
    expect(free('(w\\u00F6rld) => w\\u00F6rld.length + gr\\u00F6\\u00DFe')).toEqual(['größe']);
  });
});

describe('what a thread cannot give a closure', () => {
  it('tells the forms apart', () => {
    const object = { run(): number { return 1; }, get value(): number { return 1; } };
    expect(closureNeeds('(a) => a').form).toBe('arrow');
    expect(closureNeeds('async x => x').form).toBe('arrow');
    expect(closureNeeds('async function* g() {}').form).toBe('function');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the method's text is what is read
    expect(closureNeeds(String(object.run)).form).toBe('method');
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the getter's text is what is read
    const getter = Object.getOwnPropertyDescriptor(object, 'value')!.get!;
    expect(closureNeeds(Function.prototype.toString.call(getter)).form).toBe('accessor');
    expect(closureNeeds('class A {}').form).toBe('class');
    expect(closureNeeds(String(Math.max)).form).toBe('native');
    expect(closureNeeds(String((() => 1).bind(null))).form).toBe('native');
  });

  it('declares the names after a destructuring declaration and a comma (Bun joins declarations so)', () => {
    expect(closureNeeds('() => { const [x, y] = f(), b = g(x, y); return b; }').free).toEqual(['f', 'g']);
    expect(closureNeeds('() => { let { a } = o, [c] = a, d = c; return d; }').free).toEqual(['o']);
  });

  it('finds code a closure loads that its text does not show (import(), eval, Function)', () => {
    expect(closureNeeds("async () => (await import('./helper.js')).double(2)").loadsCode).toBe(true);
    expect(closureNeeds("() => eval('1 + 1')").loadsCode).toBe(true);
    expect(closureNeeds("() => new Function('return 1')()").loadsCode).toBe(true);
    expect(closureNeeds('() => import.meta.url').loadsCode).toBe(false);
    expect(closureNeeds('(o) => o.eval + o.import(1)').loadsCode).toBe(false);
    expect(closureNeeds('(n) => n + 1').loadsCode).toBe(false);
  });

  it("finds import.meta, an arrow's enclosing arguments and a method's this", () => {
    expect(closureNeeds('() => import.meta.url').importMeta).toBe(true);
    expect(closureNeeds('() => arguments[0]').enclosingArguments).toBe(true);
    expect(closureNeeds('() => { function inner() { return arguments[0]; } return inner(); }').enclosingArguments).toBe(false);
    expect(closureNeeds('function f() { return arguments[0]; }').enclosingArguments).toBe(false);
    expect(closureNeeds('run(x) { return this.x + x; }').thisOrSuper).toBe(true);
    expect(closureNeeds('run(x) { return () => super.run(x); }').thisOrSuper).toBe(true);
    expect(closureNeeds('run(x) { return function () { return this; }; }').thisOrSuper).toBe(false);
    expect(closureNeeds('() => this.size').enclosingThis).toBe(true);
    expect(closureNeeds('(x) => { const f = () => super.run(x); return f(); }').enclosingThis).toBe(true);
    expect(closureNeeds('() => { function inner() { return this; } return new (class { size = this; })(); }').enclosingThis).toBe(false);
    expect(closureNeeds('run(x) { return this.x + x; }').enclosingThis).toBe(false);
  });
});
