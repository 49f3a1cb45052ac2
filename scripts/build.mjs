#!/usr/bin/env node
// Builds dist/xero-proxy: one executable (a copy of this node binary with the bundled app and
// better-sqlite3's addon injected as a Single Executable Application blob). Fully offline.
//
//   src/main.ts --esbuild--> dist/bundle.cjs --node --experimental-sea-config--> dist/sea-prep.blob
//   copy of process.execPath + blob --postject--> dist/xero-proxy
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const dist = join(root, 'dist');
const bundle = join(dist, 'bundle.cjs');
const blob = join(dist, 'sea-prep.blob');
const exe = join(dist, 'xero-proxy');
const seaConfig = join(dist, 'sea-config.json');
// With V8's code cache in the blob the bundle is not compiled at every start. Measured with
// `--version` (interleaved 30-run loops, 2 cores): always faster, by ~5% for a 0.3 MiB bundle and
// ~13% for 1.4 MiB. SEA_CODE_CACHE=0 builds without it, to measure again.
const useCodeCache = process.env.SEA_CODE_CACHE !== '0';

// The addon better-sqlite3 built at `npm ci`; src/store/native-binding.ts reads it back by this name.
const addon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
// Load it here: this fails now, not at the user's first database open, if the addon is missing or
// was built for another node than the one this build copies (process.execPath).
require(addon);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// 1. Bundle everything (node_modules included): the executable has no node_modules to look in.
const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile: bundle,
  absWorkingDir: root, // so the `// path` comments in the bundle are relative to the project
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'), // jsx: react-jsx, jsxImportSource: hono/jsx
  // A CJS bundle has no import.meta; esbuild would leave it empty. Point it at the running file.
  banner: { js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl', 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
  plugins: [noBindingsPlugin()],
  logLevel: 'warning', // esbuild prints errors and warnings itself
}).catch(() => fail('esbuild could not bundle src/main.ts (errors above)'));
// An empty import.meta (any property not defined above) would be a run-time bug, not a cosmetic one.
if (result.warnings.some((w) => w.text.includes('import.meta'))) fail('import.meta is used in a way the CJS bundle cannot support');
auditRuntimeFileAccess(readFileSync(bundle, 'utf8'));

// 2. Single Executable Application blob, with the addon as an asset (node >= 20.12).
writeFileSync(
  seaConfig,
  JSON.stringify(
    {
      main: relative(root, bundle),
      output: relative(root, blob),
      disableExperimentalSEAWarning: true,
      useCodeCache,
      assets: { 'better_sqlite3.node': relative(root, addon) },
    },
    null,
    2,
  ) + '\n',
);
execFileSync(process.execPath, ['--experimental-sea-config', relative(root, seaConfig)], { cwd: root, stdio: 'inherit' });

// 3. Inject the blob into a copy of this node. The fuse string must match the one compiled into node.
copyFileSync(process.execPath, exe);
chmodSync(exe, 0o755); // the copy must be writable for postject, and executable afterwards
const { inject } = require('postject');
await quietly(() =>
  inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' }),
);
chmodSync(exe, 0o755);

// 4. Prove the executable runs (from outside the project, so node_modules cannot help it).
const version = execFileSync(exe, ['--version'], { cwd: '/', encoding: 'utf8' }).trim();
const expected = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
if (!version.includes(expected)) fail(`dist/xero-proxy --version printed "${version}", expected ${expected}`);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(`bundle  ${relative(root, bundle)}  ${mib(statSync(bundle).size)}`);
console.log(`built   ${relative(root, exe)}  ${mib(statSync(exe).size)}  (version ${version}, code cache ${useCodeCache ? 'on' : 'off'})`);

/**
 * better-sqlite3 only calls `require('bindings')` when no `nativeBinding` is given. In the
 * executable src/store/native-binding.ts always gives one, and the `bindings` package would search
 * node_modules directories that do not exist there. Replace it with a stub that says so.
 */
function noBindingsPlugin() {
  return {
    name: 'no-bindings',
    setup(b) {
      b.onResolve({ filter: /^bindings$/ }, () => ({ path: 'bindings', namespace: 'no-bindings' }));
      b.onLoad({ filter: /.*/, namespace: 'no-bindings' }, () => ({
        contents:
          "module.exports = () => { throw new Error('better-sqlite3 addon not found: in the bundled build it must be passed as the nativeBinding option'); };",
        loader: 'js',
      }));
    },
  };
}

/**
 * The executable has no node_modules and its `require` loads only node's builtins. So every
 * `require(...)` left in the bundle must name a builtin, and no bundled package may locate files
 * relative to itself (__dirname, __filename, require.resolve). esbuild marks each module with a
 * `// path` comment, which tells us whose code a line is.
 */
function auditRuntimeFileAccess(code) {
  const problems = [];
  let module = '(banner)';
  for (const line of code.split('\n')) {
    const mark = /^\/\/ (\S+)$/.exec(line);
    if (mark) module = mark[1];
    if (mark || module === '(banner)' || /^\s*(\*|\/\/|\/\*)/.test(line)) continue; // banner, comments
    for (const [, arg] of line.matchAll(/\brequire\(([^)]*)\)/g)) {
      const name = /^["']([^"']+)["']$/.exec(arg.trim())?.[1];
      if (!name || !isBuiltin(name)) problems.push(`${module}: require(${arg}) is not a node builtin`);
    }
    if (/\bimport\(/.test(line)) problems.push(`${module}: dynamic import() does not work in a SEA main script`);
    if (/\b(__dirname|__filename|require\.resolve)\b/.test(line)) {
      // src/ may mean it (e.g. files next to the executable); a package never finds its files here.
      if (/(^|\/)node_modules\//.test(module) && !harmless(module)) problems.push(`${module}: locates its own files at run time: ${line.trim().slice(0, 100)}`);
      else console.warn(`note: ${module} uses __dirname/__filename: ${line.trim().slice(0, 100)}`);
    }
  }
  if (problems.length) fail(`the bundle would break inside the executable:\n  ${[...new Set(problems)].join('\n  ')}`);
}

/** Known, reviewed uses that the application never reaches. */
function harmless(module) {
  // Forks dist/daemon.cjs only for node-cron "background" tasks (a task given as a file path).
  return module.endsWith('node_modules/node-cron/dist/node-cron.cjs');
}

/** postject's LIEF prints this for every note section of node; it is harmless (nodejs/postject#83). */
async function quietly(work) {
  const warn = console.warn;
  console.warn = (...args) => /Can't find string offset for section name/.test(String(args[0])) || warn(...args);
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}

function fail(message) {
  console.error(`build failed: ${message}`);
  process.exit(1);
}
