// Known limit, kept as a test so that a change in it is noticed.
//
// Two instantiations of one recursive generic type that agree for three
// levels are, to TypeScript's own recursion heuristic, the same type; the
// marker's cycle detection relies on that identity, so a culprit deeper than
// that inside such a generic is not reported by `tsc`. The ESLint rule (which
// compares types exactly) and the run-time backstop report it.
import { Local, send } from './api.js';

type Deep<Leaf, Depth extends unknown[] = []> = Depth['length'] extends 50 ? Leaf : { a: Deep<Leaf, [...Depth, 0]> };
declare const deep: Deep<Local<number>>;
send(deep); // not reported by tsc

type Shallow<Leaf, Depth extends unknown[] = []> = Depth['length'] extends 2 ? Leaf : { a: Shallow<Leaf, [...Depth, 0]> };
declare const shallow: Shallow<Local<number>>;
send(shallow); // reported
