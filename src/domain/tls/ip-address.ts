import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An address range in CIDR form, e.g. `{ address: '192.168.0.0', prefix: 16 }`. */
export interface IpRange {
  address: string;
  prefix: number;
}

/**
 * The ranges a LAN appliance is reached on, and the only ones its CA may sign for: RFC 1918,
 * loopback and link-local IPv4; IPv6 loopback, unique local (RFC 4193) and link-local.
 */
export const PRIVATE_RANGES: readonly IpRange[] = [
  { address: '10.0.0.0', prefix: 8 },
  { address: '172.16.0.0', prefix: 12 },
  { address: '192.168.0.0', prefix: 16 },
  { address: '127.0.0.0', prefix: 8 },
  { address: '169.254.0.0', prefix: 16 },
  { address: '::1', prefix: 128 },
  { address: 'fc00::', prefix: 7 },
  { address: 'fe80::', prefix: 10 },
];

/** The 4 or 16 bytes of an IPv4 or IPv6 address (a zone such as `%eth0` is dropped). */
export function ipBytes(text: string): Buffer {
  const address = text.replace(/%.*$/, '');
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  if (!isIPv6(address)) throw new RangeError(`not an IP address: ${text}`);
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes its two groups first.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const v4 = tail ? ipBytes(tail[1]!) : undefined;
  const hex = v4 ? `${address.slice(0, -tail![1]!.length)}${v4.readUInt16BE(0).toString(16)}:${v4.readUInt16BE(2).toString(16)}` : address;
  const [head, rest] = hex.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').filter((group) => group !== '') : []);
  const left = groups(head);
  const right = groups(rest);
  const all = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(all.map((group) => group.padStart(4, '0')).join(''), 'hex');
}

/** The network mask of a prefix, in as many bytes as the range's addresses. */
export function maskBytes(range: IpRange): Buffer {
  const length = ipBytes(range.address).length;
  const mask = Buffer.alloc(length);
  for (let bit = 0; bit < range.prefix; bit++) mask[bit >> 3]! |= 0x80 >> (bit & 7);
  return mask;
}

/** Whether `address` lies in one of `ranges`. */
export function inRanges(address: string, ranges: readonly IpRange[]): boolean {
  const plain = address.replace(/%.*$/, '');
  const family = isIPv4(plain) ? 'ipv4' : isIPv6(plain) ? 'ipv6' : undefined;
  if (!family) return false;
  const list = new BlockList();
  for (const range of ranges) list.addSubnet(range.address, range.prefix, isIPv4(range.address) ? 'ipv4' : 'ipv6');
  return list.check(plain, family);
}

/** The usual text of an address, lower case and shortened, for comparing and showing. */
export function normaliseIp(text: string): string {
  const bytes = ipBytes(text);
  if (bytes.length === 4) return [...bytes].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952 §4.2).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}
