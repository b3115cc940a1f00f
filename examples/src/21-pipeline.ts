/**
 * A pipeline: reader, parser and aggregator threads joined by channels, over 1,000,000 lines of a file.
 *
 * Rust: three `thread::spawn`s, each owning the `Receiver` of the stage
 * before it and the `Sender` of the stage after it; `for block in rx`.
 *
 * The reader reads the file in 64 KiB blocks and sends each block's text;
 * the parser cuts the text into lines (a line may straddle two blocks) and
 * sends one record per line; the aggregator folds the records into a summary
 * per station and returns it. Each stage ends when the stage before it drops
 * its `Sender` (by returning), so the end of the file shuts the pipeline down
 * from front to back.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { addReading, formatStats, parseReading, writeReadings, type Reading, type Stats } from './data/readings.js';
import { readBlocks } from './data/read-blocks.js';

const lines = 1_000_000;
const folder = mkdtempSync(path.join(tmpdir(), 'pipeline-'));
const file = path.join(folder, 'measurements.txt');
writeReadings(file, lines);

const [blocks, blocksIn] = channel<string>();
const [records, recordsIn] = channel<Reading>();

const reader = spawn(move(file, blocks), (file, blocks) => {
  for (const block of readBlocks(file, 64 * 1024)) blocks.send(block);
});

const parser = spawn(move(blocksIn, records), (blocksIn, records) => {
  let rest = '';
  for (const block of blocksIn) {
    const text = rest + block;
    const end = text.lastIndexOf('\n');
    for (const line of text.slice(0, end).split('\n')) records.send(parseReading(line));
    rest = text.slice(end + 1);
  }
  if (rest !== '') records.send(parseReading(rest));
});

const aggregator = spawn(move(recordsIn), (recordsIn) => {
  const summary = new Map<string, Stats>();
  for (const record of recordsIn) addReading(summary, record);
  return summary;
});

reader.join();
parser.join();
const summary = aggregator.join();

// The same on this thread, to check the pipeline against.
const expected = new Map<string, Stats>();
for (const line of readFileSync(file, 'utf8').split('\n')) if (line !== '') addReading(expected, parseReading(line));
rmSync(folder, { recursive: true });

const count = [...summary.values()].reduce((sum, stats) => sum + stats.count, 0);
const same = summary.size === expected.size && [...expected].every(([station, stats]) => JSON.stringify(summary.get(station)) === JSON.stringify(stats));
console.log(`${count} readings of ${summary.size} stations`);
for (const station of ['Helsinki', 'Reykjavík', 'Singapore']) console.log(`${station}: ${formatStats(summary.get(station)!)}`);
console.log(`the same summary as one thread: ${same}`);
