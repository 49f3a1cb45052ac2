import { hostname, networkInterfaces } from 'node:os';
import type { HostFacts } from '../domain/tls/lan-names';

/** This machine's name and every address of its interfaces, as the operating system says now. */
export function readHostFacts(): HostFacts {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => (entries ?? []).map((entry) => entry.address));
  return { hostname: hostname(), addresses };
}
