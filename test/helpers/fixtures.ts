import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DateOrder, OutputEncoding, ParseOptions } from '../../src/types.js';

/** One captured (or synthetic) output and its reviewed golden result. */
export interface FixturePair {
  name: string;
  input: Buffer;
  options: ParseOptions;
  /** Parsed golden JSON; undefined when the golden does not exist yet. */
  expected: unknown;
  goldenPath: string;
}

/** Absolute path of a directory under test/fixtures. */
export function fixtureDir(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));
}

/**
 * Every `<name>[.order-<dmy|mdy|ymd>][.<encoding>].(txt|bin)` in `dir` with its `<name>….json` golden.
 * Inputs are raw bytes, so decoding is part of what each golden test checks.
 */
export function loadPairs(dir: string): FixturePair[] {
  return readdirSync(dir)
    .filter((file) => /\.(txt|bin)$/.test(file))
    .sort()
    .map((file) => {
      const options: ParseOptions = {};
      const order = /\.order-(dmy|mdy|ymd)\./.exec(file);
      if (order) options.dateOrder = order[1] as DateOrder;
      const encoding = /\.([\w-]+)\.bin$/.exec(file);
      if (encoding) options.encoding = encoding[1] as OutputEncoding;
      const goldenPath = `${dir}${file.replace(/\.(txt|bin)$/, '.json')}`;
      const expected: unknown = existsSync(goldenPath) ? JSON.parse(readFileSync(goldenPath, 'utf8')) : undefined;
      return { name: file, input: readFileSync(`${dir}${file}`), options, expected, goldenPath };
    });
}

/** Goldens are only (re)written when UPDATE_GOLDEN=1; every rewrite must be reviewed by hand. */
export function maybeWriteGolden(pair: FixturePair, actual: unknown): boolean {
  if (process.env['UPDATE_GOLDEN'] !== '1') return false;
  writeFileSync(pair.goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
  return true;
}

/**
 * One real captured output (test/fixtures/{quser,query-session,stderr}/<name>) as bytes: the single copy of
 * each capture, shared by the parser goldens, the simulator's renderer tests and the CLI tests.
 */
export function realOutput(name: string): Buffer {
  for (const dir of ['quser', 'query-session', 'stderr']) {
    const path = `${fixtureDir(dir)}${name}`;
    if (existsSync(path)) return readFileSync(path);
  }
  throw new Error(`no captured output named ${name} under test/fixtures`);
}
