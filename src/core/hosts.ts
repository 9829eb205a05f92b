import { ValidationError } from '../errors.js';
import { assertHost } from '../validate.js';

/** How every report names the local machine when no server was given. */
export const LOCAL_HOST = 'localhost';

/** One host of a run: `name` goes into reports, `address` to the transport (null = the local machine). */
export interface HostTarget {
  name: string;
  address: string | null;
}

/**
 * Validates every server before anything runs, drops case-insensitive duplicates (the first spelling wins),
 * and returns the hosts in input order. No `servers` option means the local machine, reported as
 * `localhost`; an EMPTY list means no hosts at all, so a CI job whose computed shard came out empty does
 * nothing instead of acting on the machine it runs on.
 * An explicit `--server localhost` stays a remote-style call (`/server:localhost`), as the operator asked;
 * the caller's own session on it (or on any other name of this machine) is still protected: own-session.ts.
 * @example normalizeHosts(['RDS01', 'rds01', 'rds02']) // [{name:'RDS01',address:'RDS01'}, {name:'rds02',address:'rds02'}]
 */
export function normalizeHosts(servers?: readonly string[]): HostTarget[] {
  if (servers === undefined) return [{ name: LOCAL_HOST, address: null }];
  return dedupe(servers.map((server) => assertHost(server))).map((host) => ({ name: host, address: host }));
}

function dedupe(hosts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const host of hosts) {
    const key = host.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(host);
  }
  return out;
}

/**
 * Reads a servers file: one host per line, `#` starts a comment (whole line or trailing), blank lines and
 * case-insensitive duplicates are ignored. Every host is validated; a bad one throws ValidationError
 * naming the line.
 * @example parseServersFile('# farm A\nrds01\nrds02  # spare\nRDS01\n') // ['rds01', 'rds02']
 */
export function parseServersFile(text: string): string[] {
  const hosts: string[] = [];
  text.replace(/^\uFEFF/u, '').split(/\r?\n/u).forEach((line, index) => {
    const value = line.replace(/#.*$/u, '').trim();
    if (value) hosts.push(assertHost(value, `servers-file line ${index + 1}`));
  });
  return dedupe(hosts);
}

/**
 * Splits a host list across the jobs of a CI matrix. Hosts are validated, case-folded and deduplicated,
 * then sorted, so the same set of hosts gives the same split whatever its order; host i (in sorted order)
 * goes to shard (i mod count) + 1. Every host lands in exactly one shard and shard sizes differ by at most one.
 * `index` is 1-based, as `parseShard('k/n')` returns it.
 * @example shardHosts(['b', 'a', 'C', 'c'], { index: 1, count: 2 }) // ['a', 'c']
 */
export function shardHosts(hosts: readonly string[], shard: { index: number; count: number }): string[] {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 1 || index > count) {
    throw new ValidationError('shard', `${index}/${count}`, `invalid shard "${index}/${count}": expected k/n with 1 <= k <= n`);
  }
  const folded = [...new Set(hosts.map((host) => assertHost(host).toLowerCase()))].sort();
  return folded.filter((_, i) => i % count === index - 1);
}
