// @ts-check
/**
 * Child-process entry: measures one group and sends its rows to the parent
 * (run.js), then ends by itself. A group gets a process of its own so that the
 * JIT state, the globals a library installs and any thread left running stay
 * with it; run.js fails the run if this process does not exit (unless a row
 * failed, see below).
 *
 * Usage (by run.js): node lib/group-process.js <group-id> <quick|full>
 */
import { measureGroup } from './measure.js';

const [groupId, modeName] = process.argv.slice(2);
const quick = modeName === 'quick';
/** @type {import('./measure.js').Mode} */
const mode = quick ? { quick, rounds: 3, targetMs: 5 } : { quick, rounds: 15, targetMs: 50 };

const module = await import(new URL(`../groups/${groupId}.js`, import.meta.url).href);
/** @type {import('./measure.js').Group} */
const group = await module.default(mode);
process.stderr.write(`${group.title} (${group.results?.length ?? group.rows.length} rows)\n`);
const rows = await measureGroup(group, mode);
const send = /** @type {NonNullable<typeof process.send>} */ (process.send).bind(process);
// A failed row may have left its threads running (a library that hung), and
// its failure is already recorded: end the process rather than fail the
// group's exit check. With no failed row, the process must end by itself.
const failed = rows.some((row) => row.failure !== undefined);
send({ title: group.title, rows }, () => (failed ? process.exit(0) : process.disconnect()));
