import { lookup } from 'node:dns/promises';
import type { Config } from '../config/types';
import { inRanges, normaliseIp, PRIVATE_RANGES } from '../domain/tls/ip-address';
import { urlHost, type HostFacts } from '../domain/tls/lan-names';
import type { Check } from './doctor';

const LOOPBACK = [{ address: '127.0.0.0', prefix: 8 }, { address: '::1', prefix: 128 }];

/**
 * Whether `server.public_url` is where devices on the LAN can reach the proxy as it listens:
 * not `localhost` when it listens for the whole LAN, not a LAN name when it listens on loopback
 * only, the port it listens on (when it does HTTPS itself), and a name that resolves here to
 * one of this computer's addresses. `doctor` and the server's start-up log say it.
 */
export async function publicUrlCheck(config: Config, host: HostFacts, options: { bound?: string; resolve?: (name: string) => Promise<string[]> } = {}): Promise<Check> {
  const { listen, publicUrl, tls } = config.server;
  const url = new URL(publicUrl);
  const publicHost = urlHost(publicUrl);
  const listening = options.bound ?? `${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
  const publicPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const wildcard = listen.host === '0.0.0.0' || listen.host === '::';
  const loopbackListen = isLoopback(listen.host);
  const warn = (detail: string): Check => ({ check: 'public url', status: 'warn', detail });
  // With HTTPS off and an https public URL, a reverse proxy in front owns the public side.
  const behindProxy = tls === 'off' && url.protocol === 'https:';

  if (wildcard && isLoopback(publicHost)) {
    return warn(`the proxy listens on ${listening}, open to the LAN, but server.public_url (${publicUrl}) names this computer alone, so the links, pairing answers and redirects it gives send other computers to themselves. Set server.public_url to ${url.protocol}//${suggestedHost(host)}:${url.port || publicPort}`);
  }
  if (loopbackListen && !isLoopback(publicHost) && !behindProxy) {
    return warn(`the proxy listens on ${listening}, which only this computer can reach, but server.public_url (${publicUrl}) names ${publicHost}: set server.listen to 0.0.0.0:${listen.port} to serve the LAN`);
  }
  const port = options.bound ? Number(options.bound.slice(options.bound.lastIndexOf(':') + 1)) : listen.port;
  if (tls !== 'off' && publicPort !== port) {
    return warn(`server.public_url (${publicUrl}) says port ${publicPort}, but the proxy does HTTPS itself on port ${port}: write the port it listens on in server.public_url`);
  }
  if (isLoopback(publicHost) || behindProxy) return { check: 'public url', status: 'ok', detail: `${publicUrl}; listening on ${listening}` };
  const here = new Set(host.addresses.map((address) => normaliseIp(address)));
  let addresses: string[];
  if (/^[\d.]+$|:/.test(publicHost)) addresses = [publicHost];
  else {
    try {
      addresses = await (options.resolve ?? resolveAll)(publicHost);
    } catch (error) {
      return warn(`${publicHost} (server.public_url) does not resolve on this computer (${(error as NodeJS.ErrnoException).code ?? 'no answer'}), so devices may not find it either: give it a DNS entry on the LAN's router, or use this computer's LAN address (${suggestedHost(host)})`);
    }
  }
  const ours = addresses.filter((address) => here.has(normaliseIp(address)));
  if (ours.length === 0) {
    return warn(`${publicHost} (server.public_url) is ${addresses.join(', ')}, not an address of this computer (${[...here].filter((address) => !isLoopback(address)).join(', ')}): devices following it would reach another machine`);
  }
  return { check: 'public url', status: 'ok', detail: `${publicUrl}${publicHost === ours[0] ? '' : ` (${publicHost} is ${ours.join(', ')})`}; listening on ${listening}` };
}

async function resolveAll(name: string): Promise<string[]> {
  return (await lookup(name, { all: true })).map((entry) => entry.address);
}

function isLoopback(host: string): boolean {
  const plain = host.replace(/^\[|\]$/g, '').toLowerCase();
  return plain === 'localhost' || plain.endsWith('.localhost') || inRanges(plain, LOOPBACK);
}

/** What to put in the public URL: the first private IPv4 address, else the host's name. */
function suggestedHost(host: HostFacts): string {
  return host.addresses.find((address) => /^\d/.test(address) && !isLoopback(address) && inRanges(address, PRIVATE_RANGES)) ?? host.hostname;
}
