/**
 * The data of the pipeline example: a file of weather readings, one
 * `station;temperature` line each (as in the One Billion Row Challenge), and
 * the summary per station that the pipeline computes.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from './random.js';

/** The stations, each with its mean temperature in °C. */
const STATIONS: readonly (readonly [string, number])[] = [
  ['Abha', 18.0], ['Accra', 26.4], ['Addis Ababa', 16.0], ['Alexandria', 20.0], ['Almaty', 10.0],
  ['Amsterdam', 10.2], ['Anchorage', 2.8], ['Athens', 19.2], ['Auckland', 15.2], ['Baghdad', 22.8],
  ['Bangkok', 28.6], ['Barcelona', 18.2], ['Beijing', 12.9], ['Berlin', 10.3], ['Bogotá', 13.5],
  ['Cairo', 21.4], ['Cape Town', 16.2], ['Chicago', 9.8], ['Dakar', 24.0], ['Dubai', 26.9],
  ['Dublin', 9.8], ['Helsinki', 5.9], ['Istanbul', 13.9], ['Jakarta', 26.7], ['Kyiv', 8.4],
  ['Lagos', 26.8], ['Lima', 19.2], ['Lisbon', 17.5], ['London', 11.3], ['Madrid', 15.0],
  ['Mexico City', 17.5], ['Montréal', 6.8], ['Moscow', 5.8], ['Mumbai', 27.1], ['Nairobi', 17.8],
  ['Oslo', 5.7], ['Paris', 12.3], ['Reykjavík', 4.3], ['Rome', 15.2], ['São Paulo', 19.2],
  ['Seoul', 12.5], ['Singapore', 27.0], ['Stockholm', 6.6], ['Sydney', 17.7], ['Tokyo', 15.4],
  ['Toronto', 9.4], ['Vancouver', 10.4], ['Vienna', 10.4], ['Warsaw', 8.5], ['Zürich', 9.3],
];

/** One parsed line: the station and its temperature in tenths of a degree (exact integer arithmetic). */
export type Reading = readonly [station: string, tenths: number];

/** Min, max, sum and count of one station's temperatures, in tenths of a degree. */
export interface Stats {
  min: number;
  max: number;
  sum: number;
  count: number;
}

/**
 * Writes `count` readings to `file`, the same every run (a fixed seed), in
 * blocks of 10,000 lines so that the text is never held whole.
 */
export function writeReadings(file: string, count: number): void {
  const random = seededRandom(0x2545f491);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < count; ) {
      const lines: string[] = [];
      for (const end = Math.min(count, written + 10_000); written < end; written++) {
        const [station, mean] = STATIONS[Math.floor(random() * STATIONS.length)];
        lines.push(`${station};${(mean + (random() - 0.5) * 20).toFixed(1)}\n`);
      }
      writeSync(fd, lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
}

/** Parses one line, `station;temperature` with one decimal. */
export function parseReading(line: string): Reading {
  const at = line.indexOf(';');
  return [line.slice(0, at), Math.round(Number(line.slice(at + 1)) * 10)];
}

/** Adds one reading to the summary. */
export function addReading(summary: Map<string, Stats>, [station, tenths]: Reading): void {
  const stats = summary.get(station);
  if (stats === undefined) summary.set(station, { min: tenths, max: tenths, sum: tenths, count: 1 });
  else {
    stats.min = Math.min(stats.min, tenths);
    stats.max = Math.max(stats.max, tenths);
    stats.sum += tenths;
    stats.count++;
  }
}

/** `min/mean/max` of a station, in degrees, as the challenge prints them. */
export function formatStats({ min, max, sum, count }: Stats): string {
  return `${(min / 10).toFixed(1)}/${(sum / count / 10).toFixed(1)}/${(max / 10).toFixed(1)}`;
}
