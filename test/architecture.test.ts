import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const architecture = suite('architecture');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

architecture('the domain imports no framework, no SQL driver, no scheduler, no CLI and reads no environment', () => {
  for (const file of sources('src/domain')) {
    for (const target of importsOf(file)) {
      assert.not.ok(/^(hono|@hono\/|better-sqlite3|node-cron|commander)/.test(target), `${file} imports ${target}`);
      assert.not.ok(/\.\.\/(store|api|connect|queue|schedule|cli|sandbox|server)\//.test(target), `${file} imports ${target}`);
    }
    assert.not.match(readFileSync(file, 'utf8'), 'process.env', `${file} reads process.env`);
  }
});

architecture('lib imports nothing from the rest of src', () => {
  for (const file of sources('src/lib')) {
    // Relative imports must stay inside src/lib (its sub-folders may import lib's own files).
    for (const target of importsOf(file)) assert.not.ok(target.startsWith('.') && !resolve(dirname(file), target).startsWith(resolve('src/lib')), `${relative('.', file)} imports ${target}`);
  }
});

architecture('only the store opens SQLite and only the schedule imports node-cron', () => {
  for (const file of sources('src')) {
    const targets = importsOf(file);
    if (!file.startsWith('src/store/')) assert.not.ok(targets.includes('better-sqlite3'), `${file} imports better-sqlite3`);
    if (!file.startsWith('src/schedule/')) assert.not.ok(targets.includes('node-cron'), `${file} imports node-cron`);
  }
});

architecture('service plans are data made without I/O: only the runner and the privilege check touch files, processes or the environment', () => {
  const effects = new Set(['src/service/run-plan.ts', 'src/service/privilege.ts']);
  for (const file of sources('src/service')) {
    if (effects.has(file)) continue;
    for (const target of importsOf(file)) {
      assert.not.ok(/^(node:)?(fs|child_process|os)(\/|$)/.test(target), `${file} imports ${target}`);
      assert.not.ok(/\/(run-plan|privilege)$/.test(target), `${file} imports ${target}`);
    }
    assert.not.match(readFileSync(file, 'utf8'), 'process.env', `${file} reads process.env`);
  }
});

architecture.run();
