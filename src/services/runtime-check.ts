import type { Check } from './doctor';

/** The oldest glibc better-sqlite3 13's Linux addon loads on. */
export const GLIBC_NEEDED = '2.34';
const NEWER_SYSTEMS = 'Debian 12, Ubuntu 22.04, Raspberry Pi OS Bookworm or newer';

/** What the `runtime` check looks at, as Node's diagnostic report gives it. */
export interface RuntimeFacts {
  platform: NodeJS.Platform;
  /** `header.glibcVersionRuntime`: present on a glibc Linux only (absent on musl, e.g. Alpine). */
  glibc: string | undefined;
  /** e.g. "Linux 6.1.0", "Darwin 23.4.0", "Windows_NT 10.0.22631". */
  os: string;
  arch: string;
  node: string;
}

/** The facts of this process. */
export function runtimeFacts(): RuntimeFacts {
  // excludeNetwork came with Node.js 20.13 (the types of 20.19 lack it); setting it on an older one does nothing.
  const report = process.report as NodeJS.ProcessReport & { excludeNetwork?: boolean };
  // The network part of a report looks up the name of every open socket, which a busy server
  // (the settings page runs this check) cannot wait for; the header is all this needs.
  const excludeNetwork = report.excludeNetwork;
  report.excludeNetwork = true;
  let header: { glibcVersionRuntime?: string; osName?: string; osRelease?: string };
  try {
    header = (report.getReport() as { header?: typeof header }).header ?? {};
  } finally {
    report.excludeNetwork = excludeNetwork;
  }
  return { platform: process.platform, glibc: header.glibcVersionRuntime, os: `${header.osName ?? process.platform} ${header.osRelease ?? ''}`.trim(), arch: process.arch, node: process.version };
}

/**
 * The `runtime` line of `doctor`: on Linux, whether the C library is new enough for the SQLite
 * addon (an older one cannot load it, so nothing that needs the database works); elsewhere the
 * system; and the Node.js version the proxy runs on.
 */
export function runtimeCheckOf(facts: RuntimeFacts): Check {
  const node = `Node.js ${facts.node} on ${facts.os} ${facts.arch}`;
  if (facts.platform !== 'linux') return { check: 'runtime', status: 'ok', detail: node };
  if (facts.glibc === undefined) {
    return { check: 'runtime', status: 'warn', detail: `this Linux has no glibc (it uses another C library, such as musl on Alpine); the xero-proxy executable is built for glibc ${GLIBC_NEEDED} or newer: ${NEWER_SYSTEMS}. ${node}` };
  }
  const order = compareVersions(facts.glibc, GLIBC_NEEDED);
  if (order === undefined) return { check: 'runtime', status: 'warn', detail: `glibc version "${facts.glibc}" is not one this check understands; ${GLIBC_NEEDED} or newer is needed. ${node}` };
  if (order < 0) {
    return { check: 'runtime', status: 'fail', detail: `this Linux has glibc ${facts.glibc}; Xero Comms Proxy needs ${GLIBC_NEEDED} or newer: ${NEWER_SYSTEMS}. ${node}` };
  }
  return { check: 'runtime', status: 'ok', detail: `glibc ${facts.glibc} (${GLIBC_NEEDED} or newer needed); ${node}` };
}

/** The `runtime` check of this process. */
export function runtimeCheck(): Check {
  return runtimeCheckOf(runtimeFacts());
}

/**
 * Compares dotted version numbers part by part as numbers ("2.4" is older than "2.34"); a missing
 * part counts as 0. Undefined when either is not digits and dots.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (text: string) => (/^\d+(\.\d+)*$/.test(text.trim()) ? text.trim().split('.').map(Number) : undefined);
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return undefined;
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}
