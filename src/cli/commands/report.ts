import type { CommandModule } from 'yargs';
import type { ActionRecord, HostErrorRecord } from '../../core/types.js';
import { ValidationError } from '../../errors.js';
import { strList, type Args } from '../args.js';
import { outputContext, type CliContext } from '../context.js';
import { loadApi, readFileBytes, type CliDeps } from '../deps.js';
import { renderActions } from '../render.js';

export function reportCommand(deps: CliDeps, ctx: CliContext): CommandModule<object, Args> {
  return {
    command: 'report merge <files..>',
    describe: 'Merge the JSON reports of several CI jobs (e.g. one per --shard) into one',
    builder: (y) =>
      y
        .positional('files', { type: 'string', array: true, describe: 'JSON reports written by --report or --format json' })
        .option('format', { alias: 'o', type: 'string', requiresArg: true, choices: ['json', 'table', 'ndjson', 'csv'], default: 'json', describe: 'Output format' })
        .option('json', { type: 'boolean', describe: 'Shorthand for --format json' })
        .example('$0 report merge drain-*.json > drain.json', 'One report for the whole matrix')
        .epilogue('Exit 0 when every merged report succeeded, 1 otherwise, 2 when a file is not a report.') as never,
    handler: async (args) => {
      const render = outputContext(deps, ctx, args);
      const reports: unknown[] = [];
      for (const file of strList(args, 'files')) reports.push(await readReport(deps, file));
      const api = await loadApi(deps);
      const merged = api.mergeReports(reports) as { actions?: ActionRecord[]; errors?: HostErrorRecord[] };
      deps.stdout.write(
        render.format === 'json'
          ? JSON.stringify(merged, null, 2) + '\n'
          : renderActions(render, { ...merged, actions: merged.actions ?? [], errors: merged.errors ?? [] }),
      );
      ctx.exitCode = api.exitCodeFor(merged);
    },
  };
}

async function readReport(deps: CliDeps, file: string): Promise<unknown> {
  let text: string;
  try {
    text = Buffer.from(await readFileBytes(deps, file)).toString('utf8');
  } catch (error) {
    throw new ValidationError('files', file, `cannot read report ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through: reported below as not a report
  }
  throw new ValidationError('files', file, `${JSON.stringify(file)} is not a session-logoff JSON report`);
}
