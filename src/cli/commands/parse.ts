import { fsReason } from '../fs-reason.js';
import type { CommandModule } from 'yargs';
import { ValidationError } from '../../errors.js';
import type { DateOrder, OutputEncoding, ParseOptions, ParseResult } from '../../types.js';
import { str, type Args } from '../args.js';
import { outputContext, type CliContext } from '../context.js';
import { loadParsers, readFileBytes, readStdinBytes, type CliDeps, type CliParsers } from '../deps.js';
import { renderIssueLines, renderSessions } from '../render.js';

const ENCODINGS: readonly OutputEncoding[] = ['utf8', 'utf-8', 'utf16le', 'cp437', 'cp850', 'cp852', 'cp866', 'cp932', 'cp936', 'cp949', 'cp950', 'windows-1252'];

/** Accepts `850`, `CP850`, `ibm850`, `1252`, `UTF-8` …; the parser knows only the canonical spellings. */
export function normalizeEncoding(value: string): OutputEncoding {
  const v = value.trim().toLowerCase().replace(/^(ibm|oem)/, 'cp');
  const canonical = /^\d+$/.test(v) ? (v === '1252' ? 'windows-1252' : v === '65001' ? 'utf8' : `cp${v}`) : v === 'utf-16le' ? 'utf16le' : v;
  const found = ENCODINGS.find((e) => e === canonical);
  if (!found) throw new ValidationError('--encoding', value, `invalid --encoding ${JSON.stringify(value)}: expected utf8, utf16le, 437, 850, 852, 866, 932, 936, 949, 950 or 1252`);
  return found;
}

/**
 * Why the input is not `kind`'s output at all, or null when it was read (issues allowed). Precisely: the
 * input is rejected when it is empty, or when no session was read AND the parser recognised no header
 * (NO_HEADER) AND the text is not quser's own "no users" message; a known error text (access denied, RPC
 * unavailable …) is named as such.
 */
export function rejectReason(kind: string, text: string, result: ParseResult, parsers: CliParsers): string | null {
  if (text.trim() === '') return `the input is empty: no ${kind} output to read (quser prints "No User exists" on stderr: pipe with 2>&1)`;
  if (result.sessions.length > 0 || !result.issues.some((i) => i.code === 'NO_HEADER')) return null;
  // Only the "no users" texts classify knows count (it never reads an unknown text as empty); the exit code
  // of a saved file is unknown.
  const verdict = parsers.classifyOutput({ exitCode: null, stdout: '', stderr: text });
  if (verdict.kind === 'empty') return null;
  if (verdict.kind !== 'unknown' && verdict.kind !== 'sessions') return `the input is an error message, not ${kind} output: ${verdict.detail}`;
  return `the input is not ${kind} output: no session row and no ${kind} header line found`;
}

function isNoUsersText(text: string, result: ParseResult, parsers: CliParsers): boolean {
  if (result.sessions.length > 0 || !result.issues.some((i) => i.code === 'NO_HEADER')) return false;
  return parsers.classifyOutput({ exitCode: null, stdout: '', stderr: text }).kind === 'empty';
}

export function parseCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'parse <kind> [file]',
    describe: 'Parse saved quser / query session output into records (no Windows needed)',
    builder: (y) =>
      y
        .positional('kind', { type: 'string', choices: ['quser', 'query-session'], describe: 'Which command printed the input' })
        .positional('file', { type: 'string', describe: 'File to read; stdin when absent or -' })
        .option('encoding', { alias: 'e', type: 'string', requiresArg: true, describe: 'Code page of the bytes: 850, 866, 932, 1252 … (default UTF-8; UTF-16 with BOM is detected)' })
        .option('date-order', { type: 'string', requiresArg: true, choices: ['dmy', 'mdy', 'ymd'], describe: 'Day/month order of LOGON TIME when the output cannot tell' })
        .option('format', { alias: 'o', type: 'string', requiresArg: true, choices: ['table', 'json', 'ndjson', 'csv'], default: 'table', describe: 'Output format' })
        .option('json', { type: 'boolean', describe: 'Shorthand for --format json' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'Do not list parse issues on stderr' })
        .example('$0 parse quser saved.txt --format json', 'Records and issues as one JSON document')
        .example('quser /server:rds01 2>&1 | $0 parse quser --date-order dmy', 'Straight from quser')
        .example('$0 parse query-session qwinsta-de.txt --encoding 850', 'German console output in code page 850')
        .epilogue('Exit 0 when the input was read (issues allowed), 2 when it is not that command\'s output at all.') as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const kind = str(args, 'kind') === 'query-session' ? 'query-session' : 'quser';
      const options: ParseOptions = {};
      const encoding = str(args, 'encoding');
      if (encoding !== undefined) options.encoding = normalizeEncoding(encoding);
      const dateOrder = str(args, 'date-order');
      if (dateOrder !== undefined) options.dateOrder = dateOrder as DateOrder;
      const given = str(args, 'file');
      const file = given === '' && ctx.argv.includes('-') ? '-' : given;
      if (file === '') throw new ValidationError('file', '', 'invalid file "": expected a file path, or - (or nothing) for stdin');
      const bytes = file === undefined || file === '-' ? await readStdinBytes(deps, `${kind === 'quser' ? 'quser' : 'query session'} output`) : await readInput(deps, file);
      const parsers = await loadParsers(deps);
      const result = kind === 'quser' ? parsers.parseQuser(bytes, options) : parsers.parseQuerySession(bytes, options);
      const text = parsers.decodeOutput(bytes, options.encoding);
      const reason = rejectReason(kind, text, result, parsers);
      if (reason) throw new ValidationError('input', file ?? '-', reason);
      // quser's own "No User exists for *" is a clean empty list: the parser's complaints that it has no
      // header and is no row are noise there.
      const issues = isNoUsersText(text, result, parsers) ? [] : result.issues;
      if (!ctx.quiet) deps.stderr.write(renderIssueLines(issues));
      deps.stdout.write(renderSessions(render, result.sessions, { issues }, kind));
      ctx.exitCode = 0;
    },
  };
}

async function readInput(deps: CliDeps, file: string): Promise<Uint8Array> {
  try {
    return await readFileBytes(deps, file);
  } catch (error) {
    throw new ValidationError('file', file, `cannot read ${JSON.stringify(file)}: ${fsReason(error)}`);
  }
}
