import { isIP } from 'node:net';
import { inRanges, normaliseIp, PRIVATE_RANGES, type IpRange } from './ip-address';

/** What the host is called and where it can be reached, as the operating system says. */
export interface HostFacts {
  hostname: string;
  /** Every interface address, loopback included. */
  addresses: readonly string[];
}

/** The names a server certificate carries. */
export interface ServerNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/**
 * What the proxy's CA may sign for, as its name constraints say: DNS names in `dnsNames` or
 * below them, but none in `excludedDnsNames` (a leading dot: only the names below it), and
 * addresses in `ipRanges`.
 */
export interface Permitted {
  dnsNames: string[];
  excludedDnsNames: string[];
  ipRanges: IpRange[];
}

/**
 * Names no public certificate authority issues for: special-use and private-use suffixes
 * (`local` for mDNS, RFC 6762; `home.arpa`, RFC 8375; `internal`, reserved by ICANN in 2024)
 * and `lan`, which home and shop routers hand out though it is not reserved.
 */
export const PRIVATE_SUFFIXES = ['localhost', 'local', 'home.arpa', 'internal', 'lan'] as const;

// A DNS name as a certificate may carry it: letters, digits and hyphens in dot-separated labels.
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * The CA's name constraints, fixed when it is made: the private suffixes and anything below
 * them; this host's own name and the host of `server.public_url` (when it is a name) exactly,
 * not the names below them, since a bare host name such as "shop" is also a public top-level
 * domain; and the private address ranges. Nothing else, so a leaked CA key is no use outside
 * the LAN.
 */
export function caPermitted(host: HostFacts, publicHost: string): Permitted {
  const names: string[] = [...PRIVATE_SUFFIXES];
  const excluded: string[] = [];
  for (const name of [dnsForm(host.hostname), dnsForm(publicHost)]) {
    if (name === undefined || isCovered(name, { dnsNames: names, excludedDnsNames: excluded })) continue;
    names.push(name);
    // A permitted name covers the names below it; excluding ".name" leaves the name alone.
    excluded.push(`.${name}`);
  }
  return { dnsNames: names, excludedDnsNames: excluded, ipRanges: [...PRIVATE_RANGES] };
}

/**
 * The names the server certificate should carry: `localhost`, the host's name (and
 * `name.local` for a bare name, which mDNS answers), `server.public_url`'s host, and the host's
 * loopback and private addresses. Link-local IPv6 addresses are left out: URLs cannot name
 * their zone, and browsers do not open them.
 */
export function wantedNames(host: HostFacts, publicHost: string): ServerNames {
  const dns = new Set<string>(['localhost']);
  const hostname = dnsForm(host.hostname);
  if (hostname !== undefined) {
    dns.add(hostname);
    if (!hostname.includes('.')) dns.add(`${hostname}.local`);
  }
  const publicName = dnsForm(publicHost);
  if (publicName !== undefined) dns.add(publicName);
  const ips = new Set<string>();
  const publicIp = bareIp(publicHost);
  for (const address of [...host.addresses, ...(publicIp ? [publicIp] : [])]) {
    if (isIP(address.replace(/%.*$/, '')) === 0) continue;
    const ip = normaliseIp(address);
    if (inRanges(ip, [{ address: 'fe80::', prefix: 10 }])) continue;
    if (inRanges(ip, PRIVATE_RANGES)) ips.add(ip);
  }
  return { dnsNames: [...dns], ipAddresses: [...ips] };
}

/** The wanted names the CA may sign for, and those it may not (reported, never issued). */
export function splitByPermission(wanted: ServerNames, permitted: Permitted): { allowed: ServerNames; refused: string[] } {
  const refused: string[] = [];
  const dnsNames = wanted.dnsNames.filter((name) => isCovered(name, permitted) || (refused.push(name), false));
  const ipAddresses = wanted.ipAddresses.filter((ip) => inRanges(ip, permitted.ipRanges) || (refused.push(ip), false));
  return { allowed: { dnsNames, ipAddresses }, refused };
}

/**
 * Whether the DNS name constraints admit `name`, as OpenSSL (and so Node) reads them: a
 * constraint matches itself and any name made by adding labels on its left (RFC 5280
 * §4.2.1.10); one with a leading dot only the names below it. Case does not matter.
 */
export function isCovered(name: string, constraints: Pick<Permitted, 'dnsNames' | 'excludedDnsNames'>): boolean {
  const lower = name.toLowerCase();
  const matches = (base: string) => (base.startsWith('.') ? lower.endsWith(base) && lower.length > base.length : lower === base || lower.endsWith(`.${base}`));
  return constraints.dnsNames.some(matches) && !constraints.excludedDnsNames.some(matches);
}

/** The host of a URL without IPv6 brackets: `https://[::1]:8080` → `::1`. */
export function urlHost(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** A host name as a certificate names it (lower case, no trailing dot), or undefined for an address or a name it cannot carry. */
function dnsForm(name: string): string | undefined {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  if (lower === '' || isIP(lower) !== 0 || !DNS_NAME.test(lower)) return undefined;
  return lower;
}

function bareIp(host: string): string | undefined {
  const plain = host.replace(/^\[|\]$/g, '');
  return isIP(plain) !== 0 ? plain : undefined;
}
