import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { isTypeQuery } from '../util/captures.js';
import type { Cuts, PathPoint } from '../util/code-path.js';
import { CodePathTracker, addCut, reaches } from '../util/code-path.js';
import { createRule } from '../util/create-rule.js';
import { chainText } from '../util/messages.js';
import { callsRepeatedly, refusedInCallee, returnsCapture, userCallMoves } from '../util/function-summary.js';
import { writeSites } from '../util/function-values.js';
import { CONSUMABLES, type Consumable, MOVING_CONSTRUCTORS, MOVING_METHODS, isCollection, isSharedThroughArc } from '../util/moving-calls.js';
import { isRuntimeFunctionCall, runtimeCallee, runtimeClassOf, runtimeSetterOwner } from '../util/runtime.js';
import { typeName } from '../util/type-name.js';
import { isCopyType } from '../util/types.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds =
  | 'calledAfterMove'
  | 'closureCalledTwice'
  | 'consumedPassed'
  | 'consumedReceiver'
  | 'lockAfterMove'
  | 'collectionAfterMove'
  | 'movedInCallback'
  | 'movedInLoop'
  | 'movedIntoClosure'
  | 'movedIntoClosureInLoop'
  | 'movedWhileBorrowed'
  | 'noTypeInformation'
  | 'partiallyMoved'
  | 'useAfterMove'
  | 'viewAfterMove';

/** A read of a variable, as a place in the code path checked; `lifted` when it sits in a closure made there. */
interface Read {
  readonly identifier: TSESTree.Identifier;
  readonly point: PathPoint;
  readonly lifted: boolean;
}

/** A place that holds a closure borrowing a moved value (see `holdersOf`): its name for messages, where the closure was made, and its uses. */
interface Holder {
  readonly name: string;
  readonly made: TSESTree.Node;
  /** More words after "borrows it", for messages: " (returned by `pick()`)". */
  readonly through: string;
  readonly uses: readonly HolderUse[];
  /** The writes that give the place another value. */
  readonly cuts: Cuts;
}

/** A use of a place holding a closure: called, or handed on; `lifted` when in a closure made there; `result`, a `const f = place()` that holds what the call returns. */
interface HolderUse {
  readonly node: TSESTree.Node;
  readonly point: PathPoint;
  readonly lifted: boolean;
  readonly called: boolean;
  readonly result?: TSESTree.VariableDeclarator;
}

type Segment = TSESLint.CodePathSegment;
type Report = (node: TSESTree.Node, messageId: MessageIds, more?: Record<string, string>) => void;

/** The classes whose instance made from a buffer is a view of that buffer's memory. */
const VIEW_CLASSES: ReadonlySet<string> = new Set([
  'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
]);

/** A `borrow(x)` in the callback of a `scope(...)`: `x` stays borrowed until that scope ends, as Rust's borrow for `'scope`. */
interface Borrow {
  readonly identifier: TSESTree.Identifier;
  /** The callback passed to `scope` (or `scopeAsync`). */
  readonly scope: TSESTree.Node;
  readonly point: PathPoint;
}

interface Move {
  /** The moved variable, or the field (`req.payload`, `this.job`: Rust's partial move). */
  readonly identifier: TSESTree.Identifier | TSESTree.MemberExpression;
  /** A field inside `identifier` that moved rather than all of it: `['payload']` when `post(req)` moves its parameter's `payload`. */
  readonly path: readonly string[];
  /** The node that owns the move: the spawn a `move(...)` is passed to (or the `move(...)` itself), the moving call, the store. */
  readonly owner: TSESTree.Node;
  readonly point: PathPoint;
  /** Where the value went, for messages: "into a thread", "into `tx.send(...)`", "by `handle.join()`". */
  readonly into: string;
  /** When a method took ownership of its receiver (`self`): the call (`handle.join()`), the method (`JoinHandle#join`), its name and what the runtime refuses after it. */
  readonly consumedBy?: { readonly call: string; readonly method: string; readonly name: string; readonly consumable: Consumable };
}

/** A move of a variable as a whole. */
type VariableMove = Move & { readonly identifier: TSESTree.Identifier };

/** A move of a field: a path of plain property names from a variable or `this` (in `identifier`, then `path`). */
type FieldMove = Move;

export default createRule<Options, MessageIds>({
  name: 'no-use-after-move',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using a variable or a field after it was moved: into a thread with `move(...)`, through a channel, into a lock, a cell or a collection, or by a method or a function that takes ownership of it',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      useAfterMove:
        'use of moved value: `{{name}}`: it was moved {{into}} on line {{line}}; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); use it before the move, or move a clone',
      lockAfterMove:
        'use of moved value: `{{name}}`: it was moved {{into}} on line {{line}}; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); to share it between threads, put it in an `Arc` and move clones: `const shared = new Arc({{name}})`, then `move(shared.clone())` (a scoped thread may `borrow({{name}})` instead)',
      collectionAfterMove:
        'use of moved value: `{{name}}`: it was moved {{into}} on line {{line}}; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); to keep using it here, move a clone instead if the performance cost is acceptable: `{{name}}.clone()` copies every element; to share it between threads, put it in a lock in an `Arc`: `const shared = new Arc(new Mutex({{name}}))`, then `move(shared.clone())`, and lock it in each thread',
      movedInLoop:
        'use of moved value: `{{name}}`: value moved here, in previous iteration of loop; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); move a clone in each iteration',
      movedInCallback:
        'use of moved value: `{{name}}`: value moved here, in a closure that runs more than once (it is passed to `{{callee}}`); move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); move a clone in each run',
      movedIntoClosure:
        'use of moved value: `{{name}}`: value moved into closure here, on line {{line}}: the closure moves it {{into}}, so making the closure moves it, as in Rust; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); use it before the closure, or move a clone',
      movedIntoClosureInLoop:
        'use of moved value: `{{name}}`: value moved into closure here, in previous iteration of loop: the closure made on line {{line}} moves it {{into}}, and a new closure is made in each iteration; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); move a clone in each iteration',
      partiallyMoved:
        'borrow of partially moved value: `{{whole}}`: its field `{{name}}` was moved {{into}} on line {{line}} (a partial move); move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); use `{{whole}}` before the move, give `{{name}}` a new value first, or move a clone of the field',
      consumedReceiver:
        '{{use}} of moved value: `{{name}}`: value moved here by `{{call}}` on line {{line}}: `{{method}}` takes ownership of the receiver (Rust\'s `self`), which moves `{{name}}`, and the runtime refuses it afterwards; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); {{fix}}',
      consumedPassed:
        'borrow of moved value: `{{name}}`: value moved here by `{{call}}` on line {{line}}: `{{method}}` takes ownership of the receiver (Rust\'s `self`), which moves `{{name}}`, and `{{callee}}` uses it afterwards (`{{what}}`), which the runtime refuses; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); {{fix}}',
      closureCalledTwice:
        'use of moved value: `{{closure}}`: closure cannot be invoked more than once because it moves the variable `{{name}}` out of its environment ({{into}}, on line {{line}}); move a clone in each call',
      calledAfterMove:
        'cannot move out of `{{name}}` because it is borrowed: `{{closure}}`, made on line {{made}}, borrows it{{through}}; `{{name}}` was moved {{into}} on line {{line}}, and `{{closure}}` is {{used}} here, after the move (the borrow later used); call `{{closure}}` before the move, or give it a clone of `{{name}}`',
      viewAfterMove:
        'use of moved value: `{{view}}` is a view of `{{name}}`, which was moved {{into}} on line {{line}}: its memory went with it (rustc: cannot move out of `{{name}}` because it is borrowed); take the view where the value went, after the move, or move a copy',
      movedWhileBorrowed:
        'cannot move out of `{{name}}` because it is borrowed: `borrow({{name}})` on line {{borrowLine}} lends it to the scoped threads until the `scope(...)` around it ends; move it after the scope, or move a clone',
      noTypeInformation: NO_TYPE_INFORMATION_MESSAGE,
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const info = typeInformation(context);
    if ('listeners' in info) return info.listeners;
    const { services } = info;
    const checker = services.program.getTypeChecker();
    const sourceCode = context.sourceCode;
    const paths = new CodePathTracker();
    const points = new Map<TSESTree.Node, PathPoint>();
    const moves: Move[] = [];
    /** Moves waiting for their owner to run: a value is moved once the call (or store) has run, where the path goes on after it. */
    const pending = new Map<TSESTree.Node, Omit<Move, 'point'>[]>();
    const borrows: Borrow[] = [];
    /** The places of every move, once all are known: moving a consumed handle is a use the runtime refuses. */
    let movedPlacesSeen: ReadonlySet<TSESTree.Node> = new Set();
    /** A key of its own for each `const` used as a computed key that holds no literal (see `memberKey`). */
    const constantKeys = new Map<TSESLint.Scope.Variable, string>();
    /** Every `this`, by the function whose `this` it is (arrow functions have their surroundings'). */
    const thisByFunction = new Map<TSESTree.Node | undefined, TSESTree.ThisExpression[]>();

    function isCopy(node: TSESTree.Node): boolean {
      return isCopyType(services.getTypeAtLocation(node), checker);
    }

    /**
     * Whether a member path names data kept in the object (`req.payload`):
     * each property a plain property, not an accessor (`guard.value`,
     * `arc.value` compute what they give, so nothing is left moved there).
     */
    function isField(member: TSESTree.MemberExpression): boolean {
      for (let at: TSESTree.Node = member; at.type === AST_NODE_TYPES.MemberExpression; at = at.object) {
        const symbol = checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(at.property));
        if (!symbol || symbol.flags & ts.SymbolFlags.Accessor) return false;
      }
      return true;
    }

    /** The type of the field `path` inside `place`'s value, or `undefined` when a property on the way is an accessor (it computes what it gives) or missing. */
    function fieldType(place: TSESTree.Node, path: readonly string[]): ts.Type | undefined {
      let type = services.getTypeAtLocation(place);
      const at = services.esTreeNodeToTSNodeMap.get(place);
      for (const name of path) {
        const property = checker.getNonNullableType(type).getProperty(name);
        if (!property || property.flags & ts.SymbolFlags.Accessor) return undefined;
        type = checker.getTypeOfSymbolAtLocation(property, at);
      }
      return type;
    }

    /** Whether `node`'s value is binary memory (an `ArrayBuffer` or a view of one), not an object that happens to have a `buffer` or `subarray`. */
    function isMemory(node: TSESTree.Node): boolean {
      const type = services.getTypeAtLocation(node);
      return (type.isUnion() ? type.types : [type]).some((member) => {
        const name = member.getSymbol()?.getName();
        return name !== undefined && (name === 'ArrayBuffer' || VIEW_CLASSES.has(name));
      });
    }

    function referenceOf(identifier: TSESTree.Identifier): TSESLint.Scope.Reference | undefined {
      for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope; scope = scope.upper) {
        const found = scope.references.find((reference) => reference.identifier === identifier);
        if (found) return found;
      }
      return undefined;
    }

    /** A variable's value reads (not writes, not `typeof v` in a type) and its re-assignments, as places in `codePath`. */
    function readsIn(variable: TSESLint.Scope.Variable, codePath: PathPoint['codePath']): { cuts: Cuts; reads: Read[] } {
      const cuts: Cuts = new Map();
      const reads: Read[] = [];
      for (const reference of variable.references) {
        if (!reference.isValueReference || isTypeQuery(reference.identifier)) continue; // `typeof v` in a type reads no value
        const identifier = reference.identifier as TSESTree.Identifier;
        const recorded = points.get(identifier);
        if (!recorded) continue;
        const point = paths.lift(recorded, identifier, codePath);
        if (!point) continue;
        if (reference.isWrite() && !reference.isRead()) {
          // the new value is bound once it is computed: `v = v.concat(...)` reads the moved `v` first
          const written = reference.writeExpr ? Math.max(reference.identifier.range[1], reference.writeExpr.range[1]) : reference.identifier.range[1];
          if (point === recorded) addCut(cuts, { ...point, offset: written });
          continue;
        }
        reads.push({ identifier, point, lifted: point !== recorded });
      }
      return { cuts, reads };
    }

    /**
     * The calls of the function `fn` by the name it is declared or assigned to
     * (`const show = () => ...; show()`), or as the method of an object held in
     * a variable (`const api = { start() {...} }; api.start()`); each call as
     * the identifier it starts with.
     */
    function callsOf(fn: TSESTree.Node): { name: string; variable: TSESLint.Scope.Variable | undefined; calls: TSESTree.Identifier[] } | undefined {
      const parent = fn.parent;
      const method = parent?.type === AST_NODE_TYPES.Property && parent.value === fn && !parent.computed && parent.key.type === AST_NODE_TYPES.Identifier ? parent.key.name : undefined;
      const value = method === undefined ? fn : parent?.parent; // the function, or the object literal holding it
      const holder = value?.parent;
      const id =
        fn.type === AST_NODE_TYPES.FunctionDeclaration
          ? fn.id
          : holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value && holder.id.type === AST_NODE_TYPES.Identifier
            ? holder.id
            : undefined;
      if (!id) return undefined;
      const variable = sourceCode.getDeclaredVariables(fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : holder!).find((v) => v.name === id.name);
      const calls = (variable?.references ?? [])
        .map((reference) => reference.identifier as TSESTree.Identifier)
        .filter((identifier) => {
          if (method === undefined) return identifier.parent.type === AST_NODE_TYPES.CallExpression && identifier.parent.callee === identifier;
          const member = identifier.parent;
          return (
            member.type === AST_NODE_TYPES.MemberExpression &&
            member.object === identifier &&
            !member.computed &&
            member.property.type === AST_NODE_TYPES.Identifier &&
            member.property.name === method &&
            member.parent.type === AST_NODE_TYPES.CallExpression &&
            member.parent.callee === member
          );
        });
      return { name: method === undefined ? id.name : `${id.name}.${method}`, variable, calls };
    }

    function check(move: VariableMove, reported: Set<TSESTree.Node>): void {
      const variable = referenceOf(move.identifier)?.resolved;
      if (!variable || isCopy(move.identifier)) return;
      const type = services.getTypeAtLocation(move.identifier);
      const useAfterMove = afterMoveMessage(type);
      const data = { name: move.identifier.name, into: move.into, line: String(move.identifier.loc.start.line), type: typeName(checker, type) };
      const report = (node: TSESTree.Node, messageId: MessageIds, more: Record<string, string> = {}): void => {
        if (reported.has(node) || !refusedAfterConsumed(move, messageId, node)) return;
        reported.add(node);
        context.report({ node, messageId, data: { ...data, ...more } });
      };
      const callee = repeatingCallee(move.identifier, variable, (call, index) => callsRepeatedly(services.program, services.esTreeNodeToTSNodeMap.get(call), index));
      if (callee !== undefined) report(move.identifier, 'movedInCallback', { callee });

      const { cuts, reads } = readsIn(variable, move.point.codePath);
      for (const read of reads) {
        const inOwner = read.identifier.range[0] >= move.owner.range[0] && read.identifier.range[1] <= move.owner.range[1];
        if (inOwner && read.identifier !== move.identifier) continue;
        const again = read.identifier === move.identifier;
        const closure = read.lifted ? functionIn(read.identifier, move.point.codePath) : undefined;
        // a function declaration exists from the start of its scope (hoisted): its reads borrow, as a closure made before the move does
        const hoisted = closure?.type === AST_NODE_TYPES.FunctionDeclaration;
        // the move's own argument is a use only when the move runs again (a loop): "value moved here, in previous iteration of loop"
        if (!hoisted && reaches(move.point, read.point, cuts)) {
          if (again) report(read.identifier, 'movedInLoop');
          else if (move.consumedBy !== undefined) {
            const { messageId, data: more } = consumedUse(move, read.identifier);
            report(read.identifier, messageId, more);
          }
          else report(read.identifier, useAfterMove);
          continue;
        }
        // a closure made before the move that refers to the value, and is used after it (one that moves the value is `checkClosure`'s)
        if (closure && !movedPlacesSeen.has(read.identifier) && (!move.consumedBy || isRefusedUse(move.consumedBy.consumable, read.identifier))) checkBorrowers(move, closure, cuts, report, read.identifier);
        // a closure a function of the app made from the value before the move (`const log = makeLogger(tx)`), used after it
        const made = read.lifted || move.consumedBy ? undefined : capturingCall(read.identifier);
        if (made) checkBorrowers(move, made, cuts, report, read.identifier);
      }
      checkClosure(move, variable, report);
      checkViews(move, variable, report);
      checkBorrowed(move, variable, report);
    }

    /**
     * The closure `closure`, made before `move`, refers to the moved value
     * (`read` is where): it borrows it (rustc's E0505 at the move, "borrow
     * later used" at each later use). A call of it after the move, or the
     * closure handed on after it (`setTimeout(show)`, `items.forEach(show)`),
     * is reported, through each place that certainly holds it (see
     * `holdersOf`); so is a use of a closure made before the move that calls
     * it (`const all = () => show()`), through any number of them, and of
     * the closure a call made before the move returned (`const f = pick()`,
     * when `pick` returns a closure that reads the value).
     */
    function checkBorrowers(move: Move, closure: TSESTree.Node, movedCuts: Cuts, report: Report, read: TSESTree.Node): void {
      const codePath = move.point.codePath;
      const seen = new Set<TSESTree.Node>();
      const queue: { closure: TSESTree.Node; through: string }[] = [{ closure, through: '' }];
      for (let next = queue.pop(); next; next = queue.pop()) {
        if (seen.has(next.closure)) continue;
        seen.add(next.closure);
        for (const holder of holdersOf(next.closure, codePath)) {
          const both = mergedCuts(movedCuts, holder.cuts);
          for (const use of holder.uses) {
            if (!use.lifted && reaches(move.point, use.point, both)) {
              report(use.node, 'calledAfterMove', { closure: holder.name, made: String(holder.made.loc.start.line), through: holder.through + next.through, used: use.called ? 'called' : 'used' });
            } else if (use.lifted) {
              const outer = functionIn(use.node, codePath);
              if (outer) queue.push({ closure: outer, through: ` through \`${holder.name}\`${next.through}` });
            } else if (use.result && returnsBorrower(next.closure, read)) {
              queue.push({ closure: use.result, through: next.through });
            }
          }
        }
      }
    }

    /**
     * The declaration `const log = makeLogger(tx)` when `read` is an
     * argument of that call and the function of the app it calls returns a
     * closure that reads the parameter it is given there.
     */
    function capturingCall(read: TSESTree.Identifier): TSESTree.VariableDeclarator | undefined {
      const call = read.parent;
      if (call.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(read)) return undefined;
      const declarator = call.parent;
      if (declarator.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== call || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      return returnsCapture(services.program, services.esTreeNodeToTSNodeMap.get(call), call.arguments.indexOf(read)) ? declarator : undefined;
    }

    /**
     * The places that certainly hold the closure `closure` (or, for a
     * `const f = pick()`, the closure the call returned), each with its uses
     * in `codePath` (calls, and the closure handed on as an argument) and the
     * writes that give it another value there: the name it is declared or
     * assigned to (`callsOf`), a field of `this` or a key of an object held
     * in a variable it is written to, an element of an array literal held
     * in a variable. A place that may be written where the path cannot see
     * it is none.
     */
    function holdersOf(closure: TSESTree.Node, codePath: PathPoint['codePath']): Holder[] {
      if (closure.type === AST_NODE_TYPES.VariableDeclarator) {
        const variable = sourceCode.getDeclaredVariables(closure)[0];
        if (!variable || closure.init?.type !== AST_NODE_TYPES.CallExpression) return [];
        const { cuts, reads } = readsIn(variable, codePath);
        const uses = reads.flatMap((read) => holderUse(read.identifier, read.point, read.lifted));
        return [{ name: variable.name, made: closure, through: ` (returned by \`${sourceCode.getText(closure.init)}\`)`, uses, cuts }];
      }
      const named = callsOf(closure);
      if (named?.variable) {
        const { cuts, reads } = readsIn(named.variable, codePath);
        const method = named.name.includes('.');
        const uses: HolderUse[] = [];
        for (const read of reads) {
          if (method && !named.calls.includes(read.identifier)) continue;
          if (method) uses.push({ node: read.identifier.parent.parent!, point: read.point, lifted: read.lifted, called: true });
          else uses.push(...holderUse(read.identifier, read.point, read.lifted, true));
        }
        return [{ name: named.name, made: closure, through: '', uses, cuts }];
      }
      const held = memberHolder(closure, codePath) ?? arrayHolder(closure, codePath);
      return held ? [held] : [];
    }

    /**
     * A use of a place holding a closure, read at `node`: called, handed on
     * as an argument (or, with `anyRead`, read any other way), and when a
     * call's result is held in a variable (`const f = pick()`), that
     * declaration.
     */
    function holderUse(node: TSESTree.Node, point: PathPoint, lifted: boolean, anyRead = false): HolderUse[] {
      const parent = node.parent;
      const called = parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node;
      if (!called && !anyRead && !(parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node as TSESTree.CallExpressionArgument))) return [];
      const holder = called ? parent.parent : undefined;
      const result = holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === parent && holder.id.type === AST_NODE_TYPES.Identifier ? holder : undefined;
      return [{ node, point, lifted, called, result }];
    }

    /**
     * The place a closure is written to, when it is a field of `this`
     * (`this.onDone = () => tx.send(0)`) or a key of an object held in a
     * variable (`handlers['x'] = () => rx.recv()`), named by a plain name, a
     * literal or a `const`: its calls and hand-ons through the same key, and
     * the writes of that key on the path. Not followed: a field the
     * program writes outside this function (another method may give it
     * another value between), an object handed on whole or exported, a key
     * written in a closure or through a key that cannot be read.
     */
    function memberHolder(closure: TSESTree.Node, codePath: PathPoint['codePath']): Holder | undefined {
      const assignment = closure.parent;
      if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=' || assignment.right !== closure || assignment.left.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      const target = assignment.left;
      const key = memberKey(target);
      const root = target.object;
      if (key === undefined) return undefined;
      // a setter keeps what it likes
      const property = services.getTypeAtLocation(root).getProperty(key);
      if (property && property.flags & ts.SymbolFlags.Accessor) return undefined;
      const file = services.esTreeNodeToTSNodeMap.get(root).getSourceFile();
      /** Whether the program writes a place named `key` only at the offsets `at` allows (a method may write `this[key]` of any object). */
      const writtenOnly = (at: (start: number) => boolean): boolean => !key.startsWith('\0') && writeSites(services.program, key).every((site) => site.file === file && at(site.start));
      const starts: { node: TSESTree.Node; point: PathPoint; lifted: boolean }[] = [];
      const cuts: Cuts = new Map();
      if (root.type === AST_NODE_TYPES.ThisExpression) {
        const owner = thisFunction(root);
        if (!owner || !writtenOnly((start) => start >= owner.range[0] && start < owner.range[1])) return undefined;
        for (const node of thisByFunction.get(owner) ?? []) {
          const recorded = points.get(node);
          const point = recorded && paths.lift(recorded, node, codePath);
          if (point) starts.push({ node, point, lifted: point !== recorded });
        }
      } else if (root.type === AST_NODE_TYPES.Identifier) {
        const variable = referenceOf(root)?.resolved;
        if (!variable || isExported(variable)) return undefined;
        for (const reference of variable.references) {
          const identifier = reference.identifier as TSESTree.Identifier;
          const recorded = points.get(identifier);
          const point = recorded && paths.lift(recorded, identifier, codePath);
          if (!point) {
            // outside this path (around the function that moves): it runs between only through a call, so only a write of the key there matters
            const member = identifier.parent;
            if (reference.isWrite() && reference.writeExpr && identifier.parent.type === AST_NODE_TYPES.VariableDeclarator) continue; // the declaration
            if (member.type !== AST_NODE_TYPES.MemberExpression || member.object !== identifier) return undefined;
            if (writeAround(member) && [key, undefined].includes(memberKey(member))) return undefined;
            continue;
          }
          if (reference.isWrite()) {
            if (reference.isRead() || point !== recorded) return undefined;
            addCut(cuts, { ...point, offset: reference.writeExpr ? Math.max(identifier.range[1], reference.writeExpr.range[1]) : identifier.range[1] });
            continue;
          }
          // handed on whole, another object may hold it and write its keys
          if (identifier.parent.type !== AST_NODE_TYPES.MemberExpression || identifier.parent.object !== identifier) return undefined;
          starts.push({ node: identifier, point, lifted: point !== recorded });
        }
      } else {
        return undefined;
      }
      const uses: HolderUse[] = [];
      /** Where this object's key is written through its name, and whether a method of it is called (which may write its keys through `this`). */
      const written = new Set<number>([target.range[0]]);
      let methodCalled = false;
      for (const start of starts) {
        const member = start.node.parent;
        if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== start.node || member === target) continue;
        const found = memberKey(member);
        const write = writeAround(member);
        if (found !== key && member.parent.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member) methodCalled = true;
        if (write && found === key) written.add(member.range[0]);
        if (write) {
          if (found === undefined && root.type !== AST_NODE_TYPES.ThisExpression) return undefined; // a key it cannot read may be this one
          if (found !== key) continue;
          if (start.lifted) return undefined; // written in a closure, which may run between
          addCut(cuts, { ...start.point, offset: write.range[1] });
          continue;
        }
        if (found === key) uses.push(...holderUse(member, start.point, start.lifted));
      }
      if (root.type === AST_NODE_TYPES.Identifier && methodCalled && !writtenOnly((start) => written.has(start))) return undefined;
      return { name: sourceCode.getText(target), made: closure, through: '', uses, cuts };
    }

    /**
     * The element of an array literal held in a variable (`const steps =
     * [() => tx.send(1), ...]`): each element called in a `for..of` over it,
     * in a `forEach` over it, or by its index. Not followed: an array handed
     * on whole, exported, or changed by a method (`push`, `splice`, ...) or
     * a write of an element.
     */
    function arrayHolder(closure: TSESTree.Node, codePath: PathPoint['codePath']): Holder | undefined {
      const array = closure.parent;
      const declarator = array?.parent;
      if (array?.type !== AST_NODE_TYPES.ArrayExpression || declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== array || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      const index = array.elements.indexOf(closure as TSESTree.Expression);
      const variable = sourceCode.getDeclaredVariables(declarator)[0];
      if (!variable || isExported(variable)) return undefined;
      const { cuts, reads } = readsIn(variable, codePath);
      const placed = new Set(reads.map((read) => read.identifier));
      // a read outside this path (around the function that moves) may run between through a call: it must leave the array as it is
      const changing = variable.references.some((reference) => {
        const identifier = reference.identifier as TSESTree.Identifier;
        if (!reference.isRead() || isTypeQuery(identifier) || placed.has(identifier)) return false;
        const parent = identifier.parent;
        if (parent.type === AST_NODE_TYPES.ForOfStatement && parent.right === identifier) return false;
        if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== identifier || writeAround(parent)) return true;
        return !parent.computed && !(parent.property.type === AST_NODE_TYPES.Identifier && (parent.property.name === 'forEach' || UNCHANGING_ARRAY_MEMBERS.has(parent.property.name)));
      });
      if (changing) return undefined;
      const uses: HolderUse[] = [];
      const each = (fn: TSESTree.Node, point: PathPoint, lifted: boolean): void => {
        // the calls of the variable that holds each element: the loop's, or a callback's first parameter
        const name = fn.type === AST_NODE_TYPES.VariableDeclarator ? fn.id : (fn as TSESTree.ArrowFunctionExpression).params[0];
        const element = sourceCode.getDeclaredVariables(fn).find((declared) => name.type === AST_NODE_TYPES.Identifier && declared.name === name.name);
        // given another value in the loop's body: not certainly the element
        if (!element || element.references.some((reference) => reference.isWrite() && reference.identifier !== name)) return;
        const inner = readsIn(element, codePath);
        for (const read of inner.reads) uses.push(...holderUse(read.identifier, fn.type === AST_NODE_TYPES.VariableDeclarator ? read.point : point, fn.type === AST_NODE_TYPES.VariableDeclarator ? read.lifted : lifted));
      };
      for (const read of reads) {
        const parent = read.identifier.parent;
        if (parent.type === AST_NODE_TYPES.ForOfStatement && parent.right === read.identifier) {
          const declared = parent.left.type === AST_NODE_TYPES.VariableDeclaration ? parent.left.declarations[0] : undefined;
          if (declared?.id.type === AST_NODE_TYPES.Identifier) each(declared, read.point, read.lifted);
          continue;
        }
        if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== read.identifier || writeAround(parent)) return undefined;
        const call = parent.parent;
        if (parent.computed) {
          if (parent.property.type === AST_NODE_TYPES.Literal && parent.property.value === index) uses.push(...holderUse(parent, read.point, read.lifted));
          continue;
        }
        const name = parent.property.type === AST_NODE_TYPES.Identifier ? parent.property.name : '';
        if (name === 'forEach' && call.type === AST_NODE_TYPES.CallExpression && call.callee === parent) {
          const callback = call.arguments[0];
          if ((callback?.type === AST_NODE_TYPES.ArrowFunctionExpression || callback?.type === AST_NODE_TYPES.FunctionExpression) && callback.params[0]?.type === AST_NODE_TYPES.Identifier) each(callback, read.point, read.lifted);
          continue;
        }
        if (!UNCHANGING_ARRAY_MEMBERS.has(name)) return undefined; // `push`, `splice`, `length = 0`, ...: what it holds may change
      }
      return { name: `${variable.name}[${index}]`, made: closure, through: '', uses, cuts };
    }

    /** Whether a variable is exported, so other modules may write its keys. */
    function isExported(variable: TSESLint.Scope.Variable): boolean {
      return (
        variable.defs.some((definition) => definition.node.parent?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) ||
        variable.references.some((reference) => reference.identifier.parent?.type === AST_NODE_TYPES.ExportSpecifier)
      );
    }

    /**
     * The key a member expression reads, as text: a plain name
     * (`#name` for a private one), a string or number literal, or a `const`
     * holding one; a `const` holding something else is a key of its own
     * (`\0` and a number); `undefined` when it cannot be read.
     */
    function memberKey(member: TSESTree.MemberExpression): string | undefined {
      const property = member.property;
      if (!member.computed) return property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${property.name}` : property.type === AST_NODE_TYPES.Identifier ? property.name : undefined;
      if (property.type === AST_NODE_TYPES.Literal && (typeof property.value === 'string' || typeof property.value === 'number')) return String(property.value);
      if (property.type === AST_NODE_TYPES.TemplateLiteral && property.expressions.length === 0) return property.quasis[0].value.cooked ?? undefined;
      if (property.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = referenceOf(property)?.resolved;
      const definition = variable?.defs.length === 1 ? variable.defs[0] : undefined;
      if (!variable || definition?.type !== TSESLint.Scope.DefinitionType.Variable || definition.parent.kind !== 'const') return undefined;
      const init = definition.node.init;
      if (init?.type === AST_NODE_TYPES.Literal && (typeof init.value === 'string' || typeof init.value === 'number')) return String(init.value);
      let token = constantKeys.get(variable);
      if (token === undefined) constantKeys.set(variable, (token = `\0${constantKeys.size}`));
      return token;
    }

    /**
     * A move of a field (Rust's partial move): a later read of the field, or
     * of a field inside it, is a use of a moved value; a read of the object
     * as a whole (`log(req)`, `{ ...req }`), or of an object between it and
     * the field, is rustc's "borrow of partially moved value"; other fields
     * stay usable (`req.id`, `this.log()`). Assigning the field, or the
     * variable, again makes it usable.
     */
    function checkField(move: FieldMove, reported: Set<TSESTree.Node>): void {
      const place = move.identifier;
      const type = fieldType(place, move.path);
      const inPlace = propertyNames(place);
      if (!type || isCopyType(type, checker) || !inPlace) return;
      const names = [...inPlace, ...move.path];
      const root = rootOf(place);
      const codePath = move.point.codePath;
      let cuts: Cuts = new Map();
      let starts: { node: TSESTree.Node; point: PathPoint; lifted: boolean }[];
      if (root.type === AST_NODE_TYPES.Identifier) {
        const variable = referenceOf(root)?.resolved;
        if (!variable) return;
        const found = readsIn(variable, codePath);
        cuts = found.cuts;
        starts = found.reads.map((read) => ({ node: read.identifier, point: read.point, lifted: read.lifted }));
      } else {
        starts = [];
        for (const node of thisByFunction.get(thisFunction(root)) ?? []) {
          const recorded = points.get(node);
          const point = recorded && paths.lift(recorded, node, codePath);
          if (point) starts.push({ node, point, lifted: point !== recorded });
        }
      }
      const uses: { node: TSESTree.Node; point: PathPoint; whole: boolean; lifted: boolean }[] = [];
      for (const start of starts) {
        if (start.node.range[0] >= move.owner.range[0] && start.node.range[1] <= move.owner.range[1] && root !== start.node) continue;
        const reached = followPath(start.node, names);
        if (reached === undefined) continue; // another field
        const { node, whole } = reached;
        const parent = node.parent;
        if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node && parent.operator === '=') {
          // the field (or the object holding it) gets a new value once the right side is computed
          if (!start.lifted) addCut(cuts, { ...start.point, offset: parent.range[1] });
          continue;
        }
        uses.push({ node, point: start.point, whole, lifted: start.lifted });
      }
      const name = [chainText(place) ?? '', ...move.path].join('.');
      const data = { name, into: move.into, line: String(place.loc.start.line), type: typeName(checker, type) };
      const borrowers = new Set<TSESTree.Node>();
      for (const use of uses) {
        if (reported.has(use.node)) continue;
        if (!reaches(move.point, use.point, cuts)) {
          // a closure made before the move that reads the field, or the object holding it, borrows it (E0505)
          const closure = use.lifted ? functionIn(use.node, codePath) : undefined;
          if (closure && !borrowers.has(closure) && !movesIn(closure, root) && (!move.consumedBy || (!use.whole && isRefusedUse(move.consumedBy.consumable, use.node)))) {
            borrowers.add(closure);
            checkBorrowers(move, closure, cuts, (node, messageId, more) => {
              if (reported.has(node)) return;
              reported.add(node);
              context.report({ node, messageId, data: { ...data, ...more } });
            }, use.node);
          }
          continue;
        }
        if (use.whole && move.consumedBy !== undefined) {
          // the object handed to a function of the app that uses the consumed field as the runtime refuses (`show(req)` reading `req.reply.send`)
          const rest = names.slice(propertyNames(use.node)?.length ?? names.length);
          const what = refusedInAppCall(move.consumedBy.consumable, use.node, rest);
          if (what === undefined) continue;
          reported.add(use.node);
          const callee = (use.node.parent as TSESTree.CallExpression).callee;
          context.report({ node: use.node, messageId: 'consumedPassed', data: { ...data, ...consumedData(move, use.node, false), callee: chainText(callee) ?? sourceCode.getText(callee), what } });
          continue;
        }
        if (!refusedAfterConsumed(move, use.node === place ? 'movedInLoop' : use.whole ? 'partiallyMoved' : 'useAfterMove', use.node)) continue;
        reported.add(use.node);
        if (use.node === place) context.report({ node: use.node, messageId: 'movedInLoop', data });
        else if (use.whole) context.report({ node: use.node, messageId: 'partiallyMoved', data: { ...data, whole: chainText(use.node) ?? 'this' } });
        else if (move.consumedBy !== undefined) {
          const { messageId, data: more } = consumedUse(move, use.node);
          context.report({ node: use.node, messageId, data: { ...data, ...more } });
        }
        else context.report({ node: use.node, messageId: afterMoveMessage(type), data });
      }
    }

    /** Whether a move recorded inside `closure` starts from `root` (a variable, or `this`): the closure then takes the value itself, which is not a borrow. */
    function movesIn(closure: TSESTree.Node, root: TSESTree.Node): boolean {
      const rootName = root.type === AST_NODE_TYPES.Identifier ? root.name : 'this';
      return moves.some((other) => {
        const start = rootOf(other.identifier);
        const name = start.type === AST_NODE_TYPES.Identifier ? start.name : 'this';
        return name === rootName && other.identifier.range[0] >= closure.range[0] && other.identifier.range[1] <= closure.range[1];
      });
    }

    /**
     * A move while a scoped thread borrows the value (rustc's E0505): a
     * `borrow(x)` lasts until its `scope(...)` ends, joined or not, so a
     * move that can run after it inside that scope's callback is refused;
     * after the scope, the value is free again.
     */
    function checkBorrowed(move: VariableMove, variable: TSESLint.Scope.Variable, report: Report): void {
      for (const borrow of borrows) {
        if (move.identifier.range[0] < borrow.scope.range[0] || move.identifier.range[1] > borrow.scope.range[1]) continue;
        if (referenceOf(borrow.identifier)?.resolved !== variable) continue;
        const codePath = paths.pathOf.get(borrow.scope);
        const from = codePath && paths.lift(borrow.point, borrow.identifier, codePath);
        const to = codePath && paths.lift(move.point, move.identifier, codePath);
        if (from && to && reaches(from, to, new Map())) {
          report(move.identifier, 'movedWhileBorrowed', { borrowLine: String(borrow.identifier.loc.start.line) });
          return;
        }
      }
    }

    /**
     * Whether the runtime refuses a use of a value that a method consumed
     * (`handle.join()`), reported as `messageId` at `node`; every use of a
     * value moved otherwise is reported (Rust's rule). The consuming call run
     * again (a loop, a closure called twice) is refused when the method
     * refuses a consumed handle (a second `join()`, not a second `drop()`);
     * a borrow by scoped threads, or a read of the object that held a
     * consumed field, is nothing the runtime refuses.
     */
    function refusedAfterConsumed(move: Move, messageId: MessageIds, node: TSESTree.Node): boolean {
      const consumed = move.consumedBy;
      if (!consumed) return true;
      switch (messageId) {
        case 'movedInLoop':
        case 'movedInCallback':
        case 'closureCalledTwice':
        case 'movedIntoClosureInLoop':
          return consumed.consumable.refused.has(consumed.name);
        case 'movedWhileBorrowed':
        case 'partiallyMoved':
          return false;
        case 'calledAfterMove': // its read was checked where it was found
          return true;
        default:
          return isRefusedUse(consumed.consumable, node);
      }
    }

    /** Whether the read `node` of a consumed handle throws: one of its refused methods, a refused static method given it, iterating it, or moving it. */
    function isRefusedUse(consumable: Consumable, node: TSESTree.Node): boolean {
      const parent: TSESTree.Node | undefined = node.parent;
      if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        return !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier && consumable.refused.has(parent.property.name);
      }
      if (parent?.type === AST_NODE_TYPES.ForOfStatement && parent.right === node) return consumable.refusesIteration;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node as TSESTree.Expression)) {
        const callee = runtimeCallee(services, parent);
        if (callee?.kind === 'method' && consumable.refusedStatics.has(callee.name)) return true;
      }
      return movedPlacesSeen.has(node) || refusedInAppCall(consumable, node) !== undefined;
    }

    /** What a function of the app does with a consumed handle given to it (or with the field `path` of what it is given) that the runtime refuses (`x.value`), when `node` is an argument of its call. */
    function refusedInAppCall(consumable: Consumable, node: TSESTree.Node, path: readonly string[] = []): string | undefined {
      const call: TSESTree.Node | undefined = node.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(node as TSESTree.CallExpressionArgument)) return undefined;
      return refusedInCallee(services.program, services.esTreeNodeToTSNodeMap.get(call), call.arguments.indexOf(node as TSESTree.CallExpressionArgument), consumable, path);
    }

    /** The message of a refused use of a consumed handle: the use itself, or the function of the app it is handed to and what that does with it. */
    function consumedUse(move: Move, node: TSESTree.Node): { messageId: MessageIds; data: Record<string, string> } {
      const moved = movedPlacesSeen.has(node);
      const data = consumedData(move, node, moved);
      const what = moved || !move.consumedBy ? undefined : refusedInAppCall(move.consumedBy.consumable, node);
      if (what === undefined) return { messageId: 'consumedReceiver', data };
      const callee = (node.parent as TSESTree.CallExpression).callee;
      return { messageId: 'consumedPassed', data: { ...data, callee: chainText(callee) ?? sourceCode.getText(callee), what } };
    }

    /** Records the variables `values` move (or their field `path`), once `owner` has run (see `settle`). */
    function recordMoves(owner: TSESTree.Node, values: readonly TSESTree.Node[], into: string, consumedBy?: Move['consumedBy'], path: readonly string[] = []): void {
      const waiting = pending.get(owner) ?? [];
      // a field of a value is a field of a variable or of a field, not of a literal built in the call
      const places = path.length === 0 ? values.flatMap(movedPlaces) : values.map(unwrapped).filter((value) => value.type !== AST_NODE_TYPES.ObjectExpression && value.type !== AST_NODE_TYPES.ArrayExpression).flatMap(movedPlaces);
      for (const identifier of places) {
        if (identifier.type === AST_NODE_TYPES.Identifier || isField(identifier)) waiting.push({ identifier, path, owner, into, consumedBy });
      }
      if (waiting.length > 0) pending.set(owner, waiting);
    }

    /**
     * The moves `owner` makes, placed where it has run: not where it starts,
     * since the path may fork inside it (in a `try`, at its first call), and
     * the moved variable, read inside, must come before the move.
     */
    function settle(owner: TSESTree.Node): void {
      const waiting = pending.get(owner);
      if (!waiting) return;
      pending.delete(owner);
      const point = { ...paths.here(owner), offset: owner.range[1] };
      for (const move of waiting) moves.push({ ...move, point });
    }

    /** `move(...)`'s arguments, moved when the spawn it is passed to runs. */
    function recordThreadMoves(node: TSESTree.CallExpression): void {
      const parent = node.parent;
      const owner = parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node) ? parent : node;
      recordMoves(owner, node.arguments, 'into a thread');
    }

    /**
     * The arguments of a runtime method that takes ownership of them
     * (`tx.send(v)`, `Rc.new(v)`), or its receiver, for one that takes
     * ownership of `self` (`handle.join()`, `arc.drop()`).
     */
    function recordCallMoves(node: TSESTree.CallExpression): void {
      const callee = runtimeCallee(services, node);
      if (!callee) {
        recordUserCallMoves(node);
        return;
      }
      if (callee.kind !== 'method' || !callee.owner) return;
      if (MOVING_METHODS.get(callee.owner)?.has(callee.name)) {
        recordMoves(node, node.arguments, `into \`${chainText(node.callee) ?? callee.name}(...)\``);
      } else if (node.callee.type === AST_NODE_TYPES.MemberExpression) {
        const consumable = CONSUMABLES.get(callee.owner);
        if (!consumable?.by.has(callee.name)) return;
        const call = `${chainText(node.callee) ?? callee.name}()`;
        recordMoves(node, [node.callee.object], `by \`${call}\``, { call, method: `${callee.owner}#${callee.name}`, name: callee.name, consumable });
      }
    }

    /**
     * What a call of the app's own function moves: the arguments, or fields of
     * them, that it moves (`function post(req) { tx.send(req.payload); }`:
     * Rust's `fn post(req: Request)`), through `const` aliases, and the
     * elements an array's `forEach`, `map`, ... moves when given such a function.
     */
    function recordUserCallMoves(node: TSESTree.CallExpression): void {
      const call = services.esTreeNodeToTSNodeMap.get(node);
      const text = node.range[1] - node.range[0] <= 60 ? sourceCode.getText(node) : '';
      const label = text !== '' && !text.includes('\n') ? text : `${chainText(node.callee) ?? sourceCode.getText(node.callee)}(...)`;
      for (const move of userCallMoves(services.program, call, label)) {
        const value = services.tsNodeToESTreeNodeMap.get(move.value);
        if (value) recordMoves(node, [value], move.into, move.consumed && { ...move.consumed, call: label }, move.path);
      }
    }

    /** The arguments of a runtime constructor that takes ownership of its value (`new Mutex(v)`). */
    function recordConstructorMoves(node: TSESTree.NewExpression): void {
      const name = runtimeClassOf(services, node);
      if (name === undefined || !MOVING_CONSTRUCTORS.has(name)) return;
      recordMoves(node, node.arguments, `into \`new ${chainText(node.callee) ?? name}(...)\``);
    }

    /** A store through a runtime setter (`guard.value = v`: into the lock, the cell, the `Rc`). */
    function recordStoreMoves(node: TSESTree.AssignmentExpression): void {
      const target = node.left;
      if (node.operator !== '=' || target.type !== AST_NODE_TYPES.MemberExpression || target.computed) return;
      if (target.property.type !== AST_NODE_TYPES.Identifier || target.property.name !== 'value') return;
      const owner = runtimeSetterOwner(services, target);
      if (owner === undefined) return;
      recordMoves(node, [node.right], `into \`${chainText(target) ?? `${owner}#value`}\``);
    }

    function recordBorrows(node: TSESTree.CallExpression): void {
      const scope = scopeCallbackAround(node);
      if (!scope) return;
      for (const argument of node.arguments) {
        if (argument.type === AST_NODE_TYPES.Identifier) borrows.push({ identifier: argument, scope, point: paths.here(node) });
      }
    }

    /** The callback of the innermost `scope(...)` or `scopeAsync(...)` around `node`. */
    function scopeCallbackAround(node: TSESTree.Node): TSESTree.Node | undefined {
      for (let at = node.parent; at; at = at.parent) {
        const call = at.parent;
        if (
          (at.type === AST_NODE_TYPES.ArrowFunctionExpression || at.type === AST_NODE_TYPES.FunctionExpression) &&
          call?.type === AST_NODE_TYPES.CallExpression &&
          call.arguments[0] === at &&
          (isRuntimeFunctionCall(services, call, 'scope') || isRuntimeFunctionCall(services, call, 'scopeAsync'))
        ) {
          return at;
        }
      }
      return undefined;
    }

    /**
     * A move inside a closure of a variable declared outside it (a helper, a
     * scope's callback): Rust moves a captured variable into the closure when
     * the closure is made, so a later use is a use of a moved value, and a
     * second call moves it again.
     */
    function checkClosure(move: VariableMove, variable: TSESLint.Scope.Variable, report: Report): void {
      const declared = variable.defs[0] && points.get(variable.defs[0].name);
      if (!declared || declared.codePath === move.point.codePath) return;
      const closure = functionIn(move.identifier, declared.codePath);
      const made = closure && paths.creation.get(closure);
      if (!closure || !made) return;
      const line = String(closure.loc.start.line);
      const after = { ...made, offset: closure.range[1] };
      const { cuts, reads } = readsIn(variable, declared.codePath);
      // a closure made again in each iteration of a loop takes the variable again: rustc's "value moved into closure here, in previous iteration of loop"
      if (reaches(after, made, cuts)) report(move.identifier, 'movedIntoClosureInLoop', { line });
      for (const read of reads) {
        if (read.identifier.range[0] >= closure.range[0] && read.identifier.range[1] <= closure.range[1]) continue;
        if (reaches(after, read.point, cuts)) report(read.identifier, 'movedIntoClosure', { line });
      }
      const named = callsOf(closure);
      // a second call of the same closure: making it again (a new closure, which takes the variable again) cuts the path
      const remade: Cuts = named?.variable ? readsIn(named.variable, declared.codePath).cuts : new Map<Segment, number[]>();
      for (const call of named?.calls ?? []) {
        const at = points.get(call);
        if (!at || at.codePath !== declared.codePath) continue;
        const earlier = named!.calls.some((other) => {
          const from = points.get(other);
          return from !== undefined && from.codePath === at.codePath && reaches({ ...from, offset: other.parent.range[1] }, at, remade);
        });
        if (earlier) report(call, 'closureCalledTwice', { closure: named!.name, line: String(move.identifier.loc.start.line) });
      }
    }

    /**
     * Views taken of the moved value's memory before the move (`new
     * Uint8Array(buffer)`, `bytes.buffer`, `bytes.subarray(2)`, and views of
     * those): moving the value transfers that memory, so every view of it is
     * detached.
     */
    function checkViews(move: VariableMove, variable: TSESLint.Scope.Variable, report: Report): void {
      const seen = new Set<TSESLint.Scope.Variable>([variable]);
      const pending = [variable];
      for (let source = pending.pop(); source; source = pending.pop()) {
        for (const reference of source.references) {
          const declarator = viewDeclarator(reference.identifier as TSESTree.Identifier);
          const view = declarator && isMemory(declarator.id) ? sourceCode.getDeclaredVariables(declarator)[0] : undefined;
          if (!view || seen.has(view)) continue;
          seen.add(view);
          pending.push(view);
          const { cuts, reads } = readsIn(view, move.point.codePath);
          for (const read of reads) {
            if (reaches(move.point, read.point, cuts)) report(read.identifier, 'viewAfterMove', { view: view.name });
          }
        }
      }
    }

    /** The function around `node` that is made in `codePath` (the outermost function between them). */
    function functionIn(node: TSESTree.Node, codePath: PathPoint['codePath']): TSESTree.Node | undefined {
      for (let at = node.parent; at; at = at.parent) {
        if (
          (at.type === AST_NODE_TYPES.ArrowFunctionExpression ||
            at.type === AST_NODE_TYPES.FunctionExpression ||
            at.type === AST_NODE_TYPES.FunctionDeclaration) &&
          paths.creation.get(at)?.codePath === codePath
        ) {
          return at;
        }
      }
      return undefined;
    }

    return {
      ...paths.listeners,
      Identifier(node): void {
        points.set(node, paths.here(node));
      },
      ThisExpression(node): void {
        points.set(node, paths.here(node));
        const owner = thisFunction(node);
        const list = thisByFunction.get(owner);
        if (list) list.push(node);
        else thisByFunction.set(owner, [node]);
      },
      CallExpression(node): void {
        if (isRuntimeFunctionCall(services, node, 'move')) recordThreadMoves(node);
        else if (isRuntimeFunctionCall(services, node, 'borrow')) recordBorrows(node);
        else recordCallMoves(node);
      },
      NewExpression: recordConstructorMoves,
      AssignmentExpression: recordStoreMoves,
      'CallExpression:exit': settle,
      'NewExpression:exit': settle,
      'AssignmentExpression:exit': settle,
      'Program:exit'(): void {
        const reported = new Set<TSESTree.Node>();
        movedPlacesSeen = new Set(moves.filter((move) => move.path.length === 0).map((move) => move.identifier));
        for (const move of moves) {
          const place = move.identifier;
          if (place.type === AST_NODE_TYPES.Identifier && move.path.length === 0) check({ ...move, identifier: place }, reported);
          else checkField(move, reported);
        }
      },
    };
  },
});

/** The members of an array that neither change what it holds nor call its elements (`steps.length`, `steps.at(0)`). */
const UNCHANGING_ARRAY_MEMBERS: ReadonlySet<string> = new Set(['length', 'at', 'indexOf', 'lastIndexOf', 'includes', 'slice', 'concat', 'join', 'keys', 'entries', 'values']);

/** The write `member` is the target of: an assignment, `++`/`--`, `delete`, or a destructuring or `for..of` target; `undefined` when it is only read. */
function writeAround(member: TSESTree.MemberExpression): TSESTree.Node | undefined {
  const parent = member.parent;
  if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === member) return parent;
  if (parent.type === AST_NODE_TYPES.UpdateExpression) return parent;
  if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'delete') return parent;
  if (parent.type === AST_NODE_TYPES.ForOfStatement || parent.type === AST_NODE_TYPES.ForInStatement) return parent.left === member ? parent : undefined;
  if (parent.type === AST_NODE_TYPES.ArrayPattern || parent.type === AST_NODE_TYPES.AssignmentPattern || parent.type === AST_NODE_TYPES.RestElement) return parent;
  if (parent.type === AST_NODE_TYPES.Property && parent.value === member && parent.parent.type === AST_NODE_TYPES.ObjectPattern) return parent;
  return undefined;
}

/**
 * Whether the function `maker` returns a closure that holds `read`: one
 * it returns (`return () => tx.send(1)`), or its expression body.
 */
function returnsBorrower(maker: TSESTree.Node, read: TSESTree.Node): boolean {
  for (let at = read.parent; at && at !== maker; at = at.parent) {
    if (at.type !== AST_NODE_TYPES.ArrowFunctionExpression && at.type !== AST_NODE_TYPES.FunctionExpression) continue;
    if (maker.type === AST_NODE_TYPES.ArrowFunctionExpression && maker.body === at) return true;
    if (at.parent.type === AST_NODE_TYPES.ReturnStatement && enclosingFunction(at.parent) === maker) return true;
  }
  return false;
}

/** The function `node` is in. */
function enclosingFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === AST_NODE_TYPES.ArrowFunctionExpression || at.type === AST_NODE_TYPES.FunctionExpression || at.type === AST_NODE_TYPES.FunctionDeclaration) return at;
  }
  return undefined;
}

/** The message of a use after a whole move: with the runtime's own fix for a lock (share it through an `Arc`) or a collection (a clone is a copy; share it through a lock). */
function afterMoveMessage(type: ts.Type): 'useAfterMove' | 'lockAfterMove' | 'collectionAfterMove' {
  if (isSharedThroughArc(type)) return 'lockAfterMove';
  return isCollection(type) ? 'collectionAfterMove' : 'useAfterMove';
}

/** The cuts of both maps. */
function mergedCuts(a: Cuts, b: Cuts): Cuts {
  const merged: Cuts = new Map(a);
  for (const [segment, offsets] of b) merged.set(segment, [...(merged.get(segment) ?? []), ...offsets]);
  return merged;
}

/**
 * The data of a use after a method took ownership of the receiver: rustc's
 * "borrow of moved value" when the use reads through the value (a method
 * call, a property), "use of moved value" when it takes the value itself.
 */
function consumedData(move: Move, read: TSESTree.Node, moved: boolean): Record<string, string> {
  const parent: TSESTree.Node | undefined = read.parent;
  // a method, a property, or a static method given it (`Arc.downgrade(&a)`) borrows; moving it or iterating it uses it
  const borrow = !moved && ((parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === read) || parent?.type === AST_NODE_TYPES.CallExpression);
  const consumed = move.consumedBy;
  const fix = consumed?.consumable.refused.has('clone') ? 'use it before that call, or call it on a clone' : 'use it before that call';
  return { use: borrow ? 'borrow' : 'use', call: consumed?.call ?? '', method: consumed?.method ?? '', fix };
}

/**
 * Callbacks that run once per element or per event: a value captured from
 * outside and moved inside one is moved again on its second run.
 */
const REPEATING_CALLEES: ReadonlySet<string> = new Set([
  'map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'from', 'setInterval', 'addEventListener', 'on',
]);

/**
 * The name of a call that runs more than once a closure around the move (the
 * move's own, or one it is nested in: `forEach(() => scope(...))`), when the
 * moved variable is declared outside that closure: an array's or an event's
 * (by name), or a function of the app that calls that parameter in a loop or
 * twice (`repeats`).
 */
function repeatingCallee(identifier: TSESTree.Identifier, variable: TSESLint.Scope.Variable, repeats: (call: TSESTree.CallExpression, index: number) => boolean): string | undefined {
  for (let fn: TSESTree.Node | undefined = identifier.parent; fn; fn = fn.parent) {
    if (fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.type !== AST_NODE_TYPES.FunctionExpression && fn.type !== AST_NODE_TYPES.FunctionDeclaration) continue;
    const declaredInside = variable.defs.some((definition) => definition.name.range[0] >= fn.range[0] && definition.name.range[1] <= fn.range[1]);
    if (declaredInside) return undefined;
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) continue;
    const name =
      call.callee.type === AST_NODE_TYPES.Identifier
        ? call.callee.name
        : call.callee.type === AST_NODE_TYPES.MemberExpression && call.callee.property.type === AST_NODE_TYPES.Identifier
          ? call.callee.property.name
          : undefined;
    if (name !== undefined && REPEATING_CALLEES.has(name)) return name;
    // the app's own function that calls it in a loop or twice (`retry(() => tx.send(a))`)
    if (repeats(call, call.arguments.indexOf(fn as TSESTree.CallExpressionArgument))) return name ?? 'the function it is passed to';
  }
  return undefined;
}

/**
 * The places a value written as `node` moves: a variable, a field (a path of
 * plain property names from a variable or `this`: `req.payload`), and those
 * in an object or array literal built around them (`{ job, reply }` moves
 * `job` and `reply`), as Rust's `tx.send(Request { job, reply })`.
 */
function movedPlaces(node: TSESTree.Node): (TSESTree.Identifier | TSESTree.MemberExpression)[] {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
      return [node];
    case AST_NODE_TYPES.MemberExpression:
      return propertyNames(node) === undefined ? [] : [node];
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
      return movedPlaces(node.expression);
    case AST_NODE_TYPES.ArrayExpression:
      return node.elements.flatMap((element) => (element ? movedPlaces(element) : []));
    case AST_NODE_TYPES.ObjectExpression:
      return node.properties.flatMap((property) => (property.type === AST_NODE_TYPES.Property ? movedPlaces(property.value) : []));
    default:
      return [];
  }
}

/** `node` without the type assertions around it (`x as T`, `x!`, `x satisfies T`). */
function unwrapped(node: TSESTree.Node): TSESTree.Node {
  let at = node;
  while (at.type === AST_NODE_TYPES.TSAsExpression || at.type === AST_NODE_TYPES.TSNonNullExpression || at.type === AST_NODE_TYPES.TSSatisfiesExpression) at = at.expression;
  return at;
}

/** The property names of a field's path (`['reply', 'tx']` for `req.reply.tx`), or `undefined` when it is no plain path from a variable or `this`. */
function propertyNames(node: TSESTree.Node): string[] | undefined {
  if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.ThisExpression) return [];
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.optional || node.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const names = propertyNames(node.object);
  return names && [...names, node.property.name];
}

/** The variable or `this` a field's path starts from. */
function rootOf(node: TSESTree.Node): TSESTree.Node {
  let at: TSESTree.Node = node;
  while (at.type === AST_NODE_TYPES.MemberExpression) at = at.object;
  return at;
}

/**
 * From a read of a path's root, the node the read reaches along `names`:
 * the field itself (or a field inside it), `whole` when the read stops short
 * of the field (it uses an object holding the field), or `undefined` when it
 * turns to another property.
 */
function followPath(root: TSESTree.Node, names: readonly string[]): { node: TSESTree.Node; whole: boolean } | undefined {
  let node = root;
  for (const name of names) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent || parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return { node, whole: true };
    if (parent.property.type === AST_NODE_TYPES.PrivateIdentifier) return undefined; // a private field: another field (a moved path names plain properties only)
    if (parent.computed || parent.property.type !== AST_NODE_TYPES.Identifier) return { node, whole: true };
    if (parent.property.name !== name) return undefined;
    node = parent;
  }
  return { node, whole: false };
}

/** The function whose `this` a node sees: the nearest one that is not an arrow function (`undefined` at the top level). */
function thisFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === AST_NODE_TYPES.FunctionExpression || at.type === AST_NODE_TYPES.FunctionDeclaration) return at;
    if (at.type === AST_NODE_TYPES.PropertyDefinition || at.type === AST_NODE_TYPES.StaticBlock) return at;
  }
  return undefined;
}

/**
 * The declaration `const view = ...` whose value is a view of the memory
 * `identifier` holds, when `identifier` is read as the start of one:
 * `new Uint8Array(x)`, `x.buffer`, `x.subarray(...)`, and chains of these.
 */
function viewDeclarator(identifier: TSESTree.Identifier): TSESTree.VariableDeclarator | undefined {
  let node: TSESTree.Node = identifier;
  let viewed = false;
  for (;;) {
    const parent: TSESTree.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (parent.type === AST_NODE_TYPES.TSAsExpression || parent.type === AST_NODE_TYPES.TSNonNullExpression || parent.type === AST_NODE_TYPES.TSSatisfiesExpression) {
      node = parent;
    } else if (parent.type === AST_NODE_TYPES.NewExpression && parent.arguments[0] === node) {
      if (parent.callee.type !== AST_NODE_TYPES.Identifier || !VIEW_CLASSES.has(parent.callee.name)) return undefined;
      node = parent;
      viewed = true;
    } else if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node && !parent.computed && parent.property.type === AST_NODE_TYPES.Identifier) {
      const name = parent.property.name;
      if (name === 'buffer') {
        node = parent;
        viewed = true;
      } else if (name === 'subarray' && parent.parent.type === AST_NODE_TYPES.CallExpression && parent.parent.callee === parent) {
        node = parent.parent;
        viewed = true;
      } else {
        return undefined;
      }
    } else if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) {
      return viewed ? parent : undefined;
    } else {
      return undefined;
    }
  }
}
