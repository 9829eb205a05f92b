import { fsReason } from '../fs-reason.js';
import type { CommandModule } from 'yargs';
import type { ActionRecord, HostErrorRecord } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { strList, type Args } from '../args.js';
import { outputContext, type CliContext } from '../context.js';
import { loadApi, readFileBytes, type CliDeps } from '../deps.js';
import { renderActions, renderSessions } from '../render.js';
import { assertMergeable } from '../report-check.js';
import type { SessionRecord } from '../../types.js';

export function reportCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'report <action> <files..>',
    describe: 'report merge <files..>: merge the JSON reports of several CI jobs (one per --shard) into one',
    builder: (y) =>
      y
        .positional('action', { type: 'string', choices: ['merge'], describe: 'What to do with the reports' })
        .positional('files', { type: 'string', array: true, describe: 'JSON reports written by --report or --format json' })
        .option('format', { alias: 'o', type: 'string', requiresArg: true, choices: ['json', 'table', 'ndjson', 'csv'], default: 'json', describe: 'Output format' })
        .option('json', { type: 'boolean', describe: 'Shorthand for --format json' })
        .example('$0 report merge drain-*.json > drain.json', 'One report for the whole matrix')
        .epilogue('Exit 0 when every merged report succeeded, 1 otherwise, 2 when a file is not a report.') as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const files = strList(args, 'files');
      const reports: Record<string, unknown>[] = [];
      for (const file of files) reports.push(await readReport(deps, file));
      const api = await loadApi(deps);
      let merged: { actions?: ActionRecord[]; errors?: HostErrorRecord[]; sessions?: SessionRecord[] };
      try {
        merged = api.mergeReports(reports) as typeof merged;
      } catch (error) {
        // The library numbers its inputs (#2); the operator knows them by file name.
        if (error instanceof ValidationError) {
          const message = error.message.replace(/report #(\d+)/g, (_m, n: string) => `report ${JSON.stringify(files[Number(n) - 1] ?? `#${n}`)}`);
          throw new ValidationError('files', error.value, message);
        }
        throw error;
      }
      assertMergeable(files.map((f, i) => [f, reports[i] ?? {}] as const));
      deps.stdout.write(
        render.format === 'json'
          ? JSON.stringify(merged, null, 2) + '\n'
          : merged.sessions
            ? renderSessions(render, merged.sessions, { errors: merged.errors ?? [] })
            : renderActions(render, { ...merged, actions: merged.actions ?? [], errors: merged.errors ?? [] }),
      );
      ctx.exitCode = api.exitCodeFor(merged);
    },
  };
}

async function readReport(deps: CliDeps, file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = Buffer.from(await readFileBytes(deps, file)).toString('utf8');
  } catch (error) {
    throw new ValidationError('files', file, `cannot read report ${JSON.stringify(file)}: ${fsReason(error)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through: reported below as not a report
  }
  throw new ValidationError('files', file, `${JSON.stringify(file)} is not a session-logoff JSON report`);
}
