import { createLocalHostRule, localityByName, type LocalHostRule } from '../run/local-host.js';
import type { Farm } from './farm.js';

/*
 * Which /server: names reach the farm's local host, and the rule the simulated transport applies: the same
 * rule as on Windows (run/local-host.ts), over the farm's identity instead of this machine's. In the farm,
 * DNS is the farm itself: its other hosts resolve elsewhere, and any other name does not resolve.
 */

/** The local host's names and addresses: its name and `localNames` (loopback ones are implied by the rule). */
export function farmLocalNames(farm: Pick<Farm, 'localHost' | 'localNames'>): string[] {
  return [farm.localHost, ...(farm.localNames ?? [])];
}

/** True when `server` (null = no /server:) reaches the local host, by name alone: what /server: does. */
export function reachesLocalHost(farm: Pick<Farm, 'localHost' | 'localNames'>, server: string | null): boolean {
  return localityByName(server, farmLocalNames(farm)) === 'this-machine';
}

// Documentation addresses (RFC 5737), never the local host's unless the farm says so; then the next one.
const ELSEWHERE = ['192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1'];

/**
 * The simulated transport's rule: the farm's local host is this machine; the farm's other hosts resolve to an
 * address that is not ours; other names do not resolve (so one whose first label is ours only protects).
 * @example createExecTransport({ runner, localHost: farmLocalHost(farm), name: 'simulated' })
 */
export function farmLocalHost(farm: Farm): LocalHostRule {
  const names = farmLocalNames(farm);
  const elsewhere = ELSEWHERE.find((a) => localityByName(a, names) !== 'this-machine') ?? '2001:db8::1';
  const hosts = new Set(Object.keys(farm.hosts).map((h) => h.toLowerCase()));
  return createLocalHostRule({ names, addresses: [], resolve: async (name) => (hosts.has(name.toLowerCase()) ? [elsewhere] : []) });
}
