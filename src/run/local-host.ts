import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import os from 'node:os';

/*
 * THE rule for "is this /server: name the machine we run on?", used by every transport (where `change logon`
 * and the registry reads run) and by the core (whose own session to protect). quser/qwinsta /server:X print
 * no `>` marker even when X is this machine (windows-facts.md), so without this rule `-s localhost` or
 * `-s <our name>` would let --all, filters and drain log off the operator.
 *
 * What no rule here can know (the answer is then `other` or only `maybe-this-machine`):
 * - a name our resolver cannot see but quser can (a WINS/NetBIOS-only name, a hosts-file entry on another
 *   profile) whose first label is not our host name;
 * - a DNS alias (CNAME) or cluster/load-balancer VIP that points elsewhere now and at us later, or at us only
 *   for some clients; a VIP held by this node of a cluster is not one of our interface addresses;
 * - NAT, port forwarding or an SSH/RD Gateway tunnel that leads back here from an address that is not ours;
 * - a lookup answered differently for quser than for us (split DNS, a cache that changes between the calls).
 */

/**
 * Where a host name leads, as far as this machine can tell:
 * `this-machine`: null, a loopback name or address (127.0.0.0/8, ::1), one of our names or interface
 * addresses, or a name that resolves only to such addresses. Programs that exist only locally (change logon)
 * may run here for it.
 * `maybe-this-machine`: a name resolving to our address among others (round-robin, VIP), an unspecified
 * address, or a name that cannot be resolved (in time) whose first label is our host name. The caller's own
 * session is protected as if local; nothing is ever run locally because of it.
 * `other`: everything else.
 */
export type Locality = 'this-machine' | 'maybe-this-machine' | 'other';

/** Addresses a name resolves to; rejects or returns [] when it does not resolve. */
export type Resolve = (name: string) => Promise<readonly string[]>;

export interface LocalHostOptions {
  /** Our names (host name, NetBIOS name, FQDN) and addresses. Default os.hostname() and COMPUTERNAME. */
  names?: readonly string[];
  /** Our interface addresses. Default every address of os.networkInterfaces(). */
  addresses?: readonly string[];
  /** Name resolution; null: none (every name not ours counts as unresolvable). Default dns.lookup. */
  resolve?: Resolve | null;
  /** A lookup not answered by then counts as unresolvable. Default 2000 ms. */
  resolveTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface LocalHostRule {
  /** Where `host` (null = no /server:) leads; never rejects, bounded by the resolve timeout. */
  locate(host: string | null): Promise<Locality>;
}

export const DEFAULT_RESOLVE_TIMEOUT_MS = 2_000;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
const UNSPECIFIED = new BlockList();
UNSPECIFIED.addAddress('0.0.0.0', 'ipv4');
UNSPECIFIED.addAddress('::', 'ipv6');

const family = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
// A zone id (fe80::1%4) is not part of the address; brackets ([::1]) are URL syntax, not the address; a
// trailing dot (rdsh01.corp.example.) is the DNS root. "." stays ".": Windows' name for this machine.
const bare = (value: string): string => value.trim().replace(/^\[(.*)\]$/u, '$1').replace(/%.*$/u, '').replace(/(.)\.$/u, '$1').toLowerCase();
const firstLabel = (name: string): string => name.split('.')[0] ?? name;

/** Our identity, normalised: names (no addresses among them) and a BlockList of our addresses. */
interface Identity {
  names: string[];
  own: BlockList;
}

function identity(names: readonly string[], addresses: readonly string[]): Identity {
  const own = new BlockList();
  const plain: string[] = [];
  for (const value of [...names, ...addresses].map(bare).filter((v) => v !== '')) {
    if (isIP(value) !== 0) own.addAddress(value, family(value));
    else plain.push(value);
  }
  return { names: plain, own };
}

function isOurs(id: Identity, address: string): boolean {
  const a = bare(address);
  // BlockList also matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against IPv4 rules.
  return isIP(a) !== 0 && (LOOPBACK.check(a, family(a)) || id.own.check(a, family(a)));
}

/**
 * The answer from the name alone, or null when only resolution can tell. Pure.
 * @example localityByName('127.0.0.2', ['rdsh01'], []) // 'this-machine'
 */
export function localityByName(host: string | null, names: readonly string[], addresses: readonly string[] = []): Locality | null {
  return byName(host, identity(names, addresses));
}

function byName(host: string | null, id: Identity): Locality | null {
  if (host === null) return 'this-machine';
  const name = bare(host);
  if (name === '.' || name === 'localhost') return 'this-machine';
  if (isIP(name) !== 0) return isOurs(id, name) ? 'this-machine' : UNSPECIFIED.check(name, family(name)) ? 'maybe-this-machine' : 'other';
  if (id.names.includes(name)) return 'this-machine';
  // A bare "rds01" is our NetBIOS-style name when our FQDN starts with it. The reverse is NOT safe: a bare
  // os.hostname() does not make "rds01.other.example" this machine (change logon would run HERE while that
  // host stayed open); resolution decides that one.
  if (!name.includes('.') && id.names.some((own) => firstLabel(own) === name)) return 'this-machine';
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref?.();
  });
  return Promise.race([promise.catch(() => fallback), late]).finally(() => clearTimeout(timer));
}

/** Every address of every interface, loopback included. */
export function ownAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

const dnsResolve: Resolve = async (name) => (await lookup(name, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The rule over this machine's identity (or the one given, for the simulator and tests).
 * @example const rule = createLocalHostRule(); await rule.locate('rdsh01.corp.example') // 'this-machine' on rdsh01
 */
export function createLocalHostRule(options: LocalHostOptions = {}): LocalHostRule {
  const env = options.env ?? process.env;
  let id: Identity | undefined;
  // Read on first use, not at construction: nothing touches the OS before a call needs it.
  const us = (): Identity => (id ??= identity(options.names ?? [os.hostname(), env['COMPUTERNAME'] ?? ''], options.addresses ?? ownAddresses()));
  const resolve = options.resolve === undefined ? dnsResolve : options.resolve;
  const timeoutMs = options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
  return {
    async locate(host) {
      const known = byName(host, us());
      if (known !== null || host === null) return known ?? 'this-machine';
      const name = bare(host);
      const found = resolve === null ? [] : await withTimeout(Promise.resolve().then(() => resolve(name)), timeoutMs, [] as readonly string[]);
      if (found.length > 0) {
        const ours = found.filter((a) => isOurs(us(), a)).length;
        return ours === found.length ? 'this-machine' : ours > 0 ? 'maybe-this-machine' : 'other';
      }
      // Unresolvable (or not in time): for protection only, "rdsh01.corp.example" on rdsh01 may be us.
      return us().names.some((own) => firstLabel(own) === firstLabel(name)) ? 'maybe-this-machine' : 'other';
    },
  };
}

/**
 * The rule a transport uses: `localHost` as given; else exactly `localNames`, without name resolution (tests,
 * fixed identities); else this machine's own names and addresses, with DNS.
 * @example const rule = transportLocalHost({ localNames: ['admin01'] })
 */
export function transportLocalHost(options: { localHost?: LocalHostRule | undefined; localNames?: readonly string[] | undefined; env?: NodeJS.ProcessEnv }): LocalHostRule {
  if (options.localHost) return options.localHost;
  if (options.localNames) return createLocalHostRule({ names: options.localNames, addresses: [], resolve: null });
  return createLocalHostRule(options.env ? { env: options.env } : {});
}
