// @ts-check
/**
 * Child-process entry: measures one group and sends its rows to the parent
 * (run.js), then ends by itself. A group gets a process of its own so that the
 * JIT state, the globals a library installs and any thread left running stay
 * with it; run.js fails the run if this process does not exit.
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
send({ title: group.title, rows }, () => process.disconnect());
