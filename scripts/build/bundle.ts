import { build, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/**
 * Bundles src/main.ts and everything it imports (node_modules included) into one CommonJS file:
 * the executable has no node_modules to look in. Fails, with the reasons, when the bundle would
 * break inside the executable.
 */
export async function bundleApp(root: string, outfile: string): Promise<void> {
  const result = await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile,
    absWorkingDir: root, // so the `// path` comments in the bundle are relative to the project
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node26',
    tsconfig: join(root, 'tsconfig.json'), // jsx: react-jsx, jsxImportSource: hono/jsx
    // A CJS bundle has no import.meta; esbuild would leave it empty. Point it at the running file.
    banner: { js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl', 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
    plugins: [noDefaultSqliteAddon()],
    logLevel: 'warning', // esbuild prints errors and warnings itself
  }).catch(() => {
    throw new Error('esbuild could not bundle src/main.ts (errors above)');
  });
  // An empty import.meta (any property not defined above) would be a run-time bug, not a cosmetic one.
  if (result.warnings.some((w) => w.text.includes('import.meta'))) throw new Error('import.meta is used in a way the CJS bundle cannot support');
  auditRuntimeFileAccess(readFileSync(outfile, 'utf8'));
}

/**
 * better-sqlite3's lib/binding.js takes the `nativeBinding` option or looks for its addon beside
 * itself. In the executable src/store/native-binding.ts always gives the loaded addon, and those
 * directories do not exist there. Replace the finder with one that takes only the given addon.
 */
function noDefaultSqliteAddon(): Plugin {
  return {
    name: 'no-default-sqlite-addon',
    setup(b) {
      b.onResolve({ filter: /^\.\/binding$/ }, (args) => (/better-sqlite3[\\/]lib$/.test(args.resolveDir) ? { path: 'binding', namespace: 'no-default-sqlite-addon' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'no-default-sqlite-addon' }, () => ({
        contents:
          "exports.getBinding = (given) => { if (given !== null && typeof given === 'object') return given; throw new Error('better-sqlite3 addon not found: in the bundled build it must be passed as the nativeBinding option'); };",
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
function auditRuntimeFileAccess(code: string): void {
  const problems: string[] = [];
  let module = '(banner)';
  for (const line of code.split('\n')) {
    const mark = /^\/\/ (\S+)$/.exec(line);
    if (mark) module = mark[1]!;
    if (mark || module === '(banner)' || /^\s*(\*|\/\/|\/\*)/.test(line)) continue; // banner, comments
    for (const [, arg] of line.matchAll(/\brequire\(([^)]*)\)/g)) {
      const name = /^["']([^"']+)["']$/.exec(arg!.trim())?.[1];
      if (!name || !isBuiltin(name)) problems.push(`${module}: require(${arg}) is not a node builtin`);
    }
    if (/\bimport\(/.test(line)) problems.push(`${module}: dynamic import() does not work in a SEA main script`);
    if (/\b(__dirname|__filename|require\.resolve)\b/.test(line)) {
      // src/ may mean it (e.g. files next to the executable); a package never finds its files here.
      if (/(^|\/)node_modules\//.test(module) && !harmless(module)) problems.push(`${module}: locates its own files at run time: ${line.trim().slice(0, 100)}`);
      else console.warn(`note: ${module} uses __dirname/__filename: ${line.trim().slice(0, 100)}`);
    }
  }
  if (problems.length) throw new Error(`the bundle would break inside the executable:\n  ${[...new Set(problems)].join('\n  ')}`);
}

/** Known, reviewed uses that the application never reaches. */
function harmless(module: string): boolean {
  // Forks dist/daemon.cjs only for node-cron "background" tasks (a task given as a file path).
  return module.endsWith('node_modules/node-cron/dist/node-cron.cjs');
}
