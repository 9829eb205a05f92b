import { fileURLToPath } from 'node:url';
import { fsReason } from './fs-reason.js';
import { assertWritable } from './preflight.js';
import { parseServersFile, shardHosts } from '../core/hosts.js';
import type { HostRunOptions } from '../core/types.js';
import { ValidationError } from '../errors.js';
import type { TransportName } from '../run/transport.js';
import type { SourceChoice } from '../run/wts-source.js';
import { assertMessageTitle } from '../run/wts-transport.js';
import { assertConcurrency, assertHost, MAX_WAIT_MS, parseDuration, parseShard } from '../validate.js';
import { bool, int, str, strList, type Args } from './args.js';
import { readFileBytes, readStdinBytes, type CliDeps, type CreateTransportOptions } from './deps.js';

/** Everything a host command needs, validated, before any transport exists. */
export interface HostPlan {
  servers: string[];
  transportName: TransportName;
  /** `--source`: how sessions are read (the WTS API needs --transport powershell). */
  source: SourceChoice;
  /** `--title` (commands that send messages): the WTS message box title. */
  messageTitle?: string;
  farmFile: string | undefined;
  auditLog: string | undefined;
  base: Pick<HostRunOptions, 'concurrency' | 'timeoutMs' | 'retries'>;
  /** `k/n` when `--shard` left no host for this job: run nothing (never the local machine). */
  emptyShard?: string;
}

const TRANSPORTS: readonly TransportName[] = ['exec', 'powershell', 'simulated'];
const SOURCES: readonly SourceChoice[] = ['auto', 'wts', 'text'];

/**
 * Reads and validates hosts (`--server`, `--servers-file`, `--shard`) and run options. Throws
 * ValidationError on the first bad value; nothing has been started when it does.
 */
export async function resolveHostPlan(deps: CliDeps, args: Args): Promise<HostPlan> {
  const servers = strList(args, 'server').map((s) => assertHost(s, '--server'));
  const file = str(args, 'servers-file');
  if (file !== undefined) {
    if (file === '') throw new ValidationError('--servers-file', file, 'invalid --servers-file "": expected a file path or - for stdin');
    const bytes = file === '-' ? await readStdinBytes(deps, 'the host list (--servers-file -)') : await readServersFile(deps, file);
    servers.push(...parseServersFile(decodeHostList(bytes)));
  }
  const shardText = str(args, 'shard');
  let hosts = servers;
  if (shardText !== undefined) {
    const shard = parseShard(shardText, '--shard');
    if (servers.length === 0) throw new ValidationError('--shard', shardText, 'invalid --shard: it needs a host list (--server or --servers-file)');
    hosts = shardHosts(servers, shard);
  } else if (file !== undefined && servers.length === 0) {
    // An empty servers file must not silently fall back to "this machine".
    throw new ValidationError('--servers-file', file, `invalid --servers-file "${file}": it lists no hosts`);
  }

  const transportName = transportOf(args);
  if (!TRANSPORTS.includes(transportName)) throw new ValidationError('--transport', transportName, `invalid --transport "${transportName}": expected exec, powershell or simulated`);
  const farmFile = farmFileOf(args);
  if (transportName === 'simulated' && !farmFile) throw new ValidationError('--farm', '', 'invalid --transport simulated: it needs --farm <file> (--farm example: the farm that ships with the package)');
  if (farmFile !== undefined && transportName !== 'simulated') throw new ValidationError('--farm', farmFile, 'invalid --farm: it is only used with --transport simulated');
  const source = (str(args, 'source') ?? 'auto') as SourceChoice;
  if (!SOURCES.includes(source)) throw new ValidationError('--source', source, `invalid --source "${source}": expected auto, wts or text`);
  if (source === 'wts' && transportName !== 'powershell') throw new ValidationError('--source', source, `invalid --source wts: the WTS API is read through --transport powershell (not ${transportName})`);
  const title = str(args, 'title');
  const messageTitle = title === undefined ? undefined : assertMessageTitle(title, '--title');

  const base: HostPlan['base'] = {
    concurrency: assertConcurrency(str(args, 'concurrency') ?? '16', '--concurrency'),
    timeoutMs: parseDuration(str(args, 'timeout') ?? '30s', '--timeout', { max: MAX_WAIT_MS }),
  };
  if (base.timeoutMs === 0) throw new ValidationError('--timeout', '0', 'invalid --timeout "0": a host operation needs at least 1 second');
  const retries = int(args, 'retries', '--retries', { min: 0, max: 10 });
  if (retries !== undefined) base.retries = retries;
  const auditLog = str(args, 'audit-log');
  if (auditLog === '') throw new ValidationError('--audit-log', auditLog, 'invalid --audit-log "": expected a file path');
  if (auditLog !== undefined) await assertWritable(deps, '--audit-log', auditLog, 'append');
  return { servers: hosts, transportName, source, ...(messageTitle === undefined ? {} : { messageTitle }), farmFile, auditLog, base, ...(shardText !== undefined && hosts.length === 0 ? { emptyShard: shardText } : {}) };
}

/**
 * `--transport`, or `simulated` when only `--farm` is given (a farm file can mean nothing else), else `exec`.
 * @example transportOf({ farm: 'farm.json' }) // 'simulated'
 */
export function transportOf(args: Args): TransportName {
  return (str(args, 'transport') ?? (str(args, 'farm') === undefined ? 'exec' : 'simulated')) as TransportName;
}

/** The package's own example farm, for `--farm example`: help examples work as printed wherever it is installed. */
export const EXAMPLE_FARM = fileURLToPath(new URL('../../examples/farm.json', import.meta.url));

/** `--farm`, with `example` read as the shipped farm (a file named so is `./example`). */
export function farmFileOf(args: Args): string | undefined {
  const farm = str(args, 'farm');
  return farm === 'example' ? EXAMPLE_FARM : farm;
}

/**
 * UTF-8, or UTF-16LE with its BOM: what Windows PowerShell 5.1 writes with `>` or Out-File
 * (`Get-ADComputer … | Select -Expand Name > servers.txt`), the usual way such a list is made.
 */
export function decodeHostList(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes);
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  return buffer.toString('utf8');
}

async function readServersFile(deps: CliDeps, file: string): Promise<Uint8Array> {
  try {
    return await readFileBytes(deps, file);
  } catch (error) {
    throw new ValidationError('--servers-file', file, `cannot read --servers-file "${file}": ${fsReason(error)}`);
  }
}

export function isDryRun(args: Args): boolean {
  return bool(args, 'dry-run');
}

/**
 * What a command's transport is built with, from its plan: one place, so no command leaves an option out
 * (rollout once built its own and dropped --source and --concurrency).
 */
export function transportOptionsOf(plan: HostPlan, deps: Pick<CliDeps, 'platform' | 'env'>): CreateTransportOptions {
  return {
    ...(plan.farmFile ? { farmFile: plan.farmFile } : {}),
    source: plan.source,
    ...(plan.messageTitle === undefined ? {} : { messageTitle: plan.messageTitle }),
    platform: deps.platform,
    env: deps.env,
    ...(plan.base.concurrency === undefined ? {} : { concurrency: plan.base.concurrency }),
  };
}
