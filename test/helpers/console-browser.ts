import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './cli';
import { ADMIN_NAME, ADMIN_PASSWORD } from './web';

// Debian's Chromium; CI installs it (.ci/run). Without it a browser test fails rather than skips,
// so a machine that cannot run it is noticed.
const CHROMIUM = '/usr/bin/chromium';
// On this closed network Chromium must not try to reach Google's services at start.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where every browser test saves its screenshots. */
export const SHOTS = join(REPO_ROOT, '.test-output', 'browser');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A headless Chromium page signed in to the console at `base`, with the checks every page gets. */
export interface ConsoleBrowser {
  chromium: Browser;
  page: Page;
  /** Content-Security-Policy violations Chromium reported on the proxy's pages. */
  violations: string[];
  close(): Promise<void>;
}

/**
 * `trustSpki`: the base64 SHA-256 of the proxy CA's SubjectPublicKeyInfo, which Chromium then
 * trusts for this run (--ignore-certificate-errors-spki-list), as a browser that imported the CA
 * certificate would; the console over HTTPS needs it.
 */
export async function openConsoleBrowser(base: string, options: { trustSpki?: string; acceptDownloads?: boolean } = {}): Promise<ConsoleBrowser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); CI does so in .ci/run`);
  mkdirSync(SHOTS, { recursive: true });
  const args = options.trustSpki ? [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${options.trustSpki}`] : CHROMIUM_ARGS;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args, timeout: 60_000 });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: options.acceptDownloads ?? false });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text()) && message.location().url.startsWith(base)) violations.push(message.text());
  });
  return { chromium: browser, page, violations, close: () => browser.close() };
}

/** Signs in through the real form with a name and password (the administrator must exist). */
export async function signIn(page: Page, base: string, password = ADMIN_PASSWORD, name = ADMIN_NAME): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Administrator name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

/**
 * The checks every console page must pass: axe-core finds no serious or critical accessibility
 * violation, and a full-page screenshot is saved as `<name>.png` under .test-output/browser.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // Evaluated through the DevTools protocol, which the page's CSP (no inline scripts) does not govern.
  await page.evaluate(AXE_SOURCE);
  const found = (await page.evaluate(async () => {
    const scope = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }> } };
    const result = await scope.axe.run(scope.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  })) as Array<{ id: string; impact: string | null; help: string; targets: string[] }>;
  const serious = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.equal(serious, [], `${name}: axe found ${serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`).join('; ')}`);
}
