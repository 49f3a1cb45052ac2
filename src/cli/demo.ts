import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DATABASE_FILE, startProxy } from '../app';
import { loadConfig } from '../config/load';
import { RATE_PROFILES, SERVICE_ENV } from '../config/schema';
import { systemClock } from '../lib/clock';
import { createSandbox } from '../sandbox/app';
import { DEMO, prepareDemo } from '../services/demo';
import { demoShift } from '../services/demo-shift';
import type { PosShift } from '../domain/documents';
import { startServer } from '../server/listen';
import { writeFileAtomic } from '../lib/atomic-write';
import { createKeyFileIfMissing, KEY_FILE_NAME } from '../store/keyring';
import { acquireServerLock } from '../store/server-lock';
import { cliActor, serverLog, untilSignal } from './context';
import type { Io } from './output';

/** The demo's CA certificate, beside its state, for the printed requests' `--cacert`. */
export const CA_FILE_NAME = 'ca.crt';

/**
 * `xero-proxy demo`: the proxy and the embedded sandbox Xero together, on their embedded
 * defaults, with nothing to configure. State lives in ./demo-data (the sandbox in memory).
 */
export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the proxy against the built-in sandbox Xero, with demo data; nothing to configure')
    .option('--data-dir <dir>', 'where the demo proxy keeps its state', './demo-data')
    .option('--port <port>', 'proxy port', '8080')
    .option('--sandbox-port <port>', 'sandbox port', '9090')
    .action(async (options: { dataDir: string; port: string; sandboxPort: string }) => {
      const dataDir = resolve(options.dataDir);
      if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      // Demo state from an earlier run keeps its key; a lost one is not replaced behind its back.
      createKeyFileIfMissing(join(dataDir, KEY_FILE_NAME), join(dataDir, DATABASE_FILE));

      // The demo configures nothing but keeps the service rule: run as a service, it logs to demo-data/logs.
      const service = process.env[SERVICE_ENV] === undefined ? {} : { [SERVICE_ENV]: process.env[SERVICE_ENV] };
      const base = loadConfig({ env: { XERO_PROXY_STORAGE_DATA_DIR: dataDir, ...service }, cwd: dataDir });
      const log = serverLog(base);
      const { logger } = log;
      const profile = RATE_PROFILES.standard;
      const sandbox = createSandbox({
        database: ':memory:',
        settings: { limits: { ...profile }, rateLimitStatus: 503, timestampWindowSeconds: 300 },
        logger: logger.child({ component: 'sandbox' }),
        clock: systemClock,
      });
      // Taken before the sandbox binds, so a second demo on this directory is told what runs there.
      const serverLock = acquireServerLock(dataDir, { pid: process.pid, startedAt: systemClock.now().toISOString(), listen: `127.0.0.1:${options.port}` });
      const sandboxServer = await startServer(sandbox.app.fetch, { host: '127.0.0.1', port: Number(options.sandboxPort) }).catch((error: unknown) => {
        serverLock.release();
        throw error;
      });
      const config = loadConfig({
        env: {
          XERO_PROXY_STORAGE_DATA_DIR: dataDir,
          // An OAuth 2.0 web app, as a real installation has: the sandbox stands in for Xero's API,
          // login and identity servers. The secret reaches the config here, in memory, never a file.
          XERO_PROXY_XERO_APP_TYPE: 'oauth2',
          XERO_PROXY_XERO_CLIENT_ID: DEMO.clientId,
          XERO_PROXY_XERO_CLIENT_SECRET: DEMO.clientSecret,
          XERO_PROXY_XERO_API_URL: sandboxServer.url,
          XERO_PROXY_XERO_LOGIN_URL: sandboxServer.url,
          XERO_PROXY_XERO_IDENTITY_URL: sandboxServer.url,
          XERO_PROXY_SERVER_LISTEN: `127.0.0.1:${options.port}`,
          // HTTPS as a new install has it: the demo's own CA, pinned by the requests it prints.
          XERO_PROXY_SERVER_TLS: 'auto',
          XERO_PROXY_SERVER_PUBLIC_URL: `https://localhost:${options.port}`,
          // The demo's administrator signs in with the password alone (the pages say so), unless asked otherwise.
          XERO_PROXY_ADMIN_REQUIRE_MFA: process.env['XERO_PROXY_ADMIN_REQUIRE_MFA'] ?? 'false',
          ...service,
        },
        cwd: dataDir,
      });
      const proxy = await startProxy(config, logger, systemClock, { serverLock });
      const stopped = untilSignal();
      const ready = await prepareDemo({ ...proxy.proxy.deps, actor: cliActor() }, proxy.proxy.calls, sandboxServer.url);
      const publicUrl = config.server.publicUrl;
      // The CA certificate is public: written where the printed requests find it as their only trust anchor.
      const caFile = join(dataDir, CA_FILE_NAME);
      writeFileAtomic(caFile, proxy.proxy.tls!.served.caCertificatePem, { mode: 0o644 });
      const curl = `curl -s --cacert '${caFile}'`;
      const shift = demoShift(systemClock.now());
      io.out(
        [
          '',
          'Xero Comms Proxy demo',
          `  proxy          ${publicUrl}   (connect and admin pages: ${publicUrl}/connect)`,
          `  admin          name "admin", password ${ready.adminPassword ? `"${ready.adminPassword}"` : 'as set before (xero-proxy admin reset-password admin to change it)'}${config.admin.requireMfa ? '' : '; no two-step sign-in needed in the demo'}`,
          `  HTTPS          its own CA, fingerprint ${proxy.proxy.tls!.served.caSpkiSha256} (SPKI SHA-256, what devices pin)`,
          `                 CA certificate ${caFile}: the requests below trust it alone; import it into a browser, or accept its warning`,
          `  sandbox Xero   ${sandboxServer.url}   (organisations: ${sandboxServer.url}/sandbox/organisations)`,
          `  linked         ${ready.organisation.name} (${ready.organisation.shortCode}), with OAuth 2.0 (a grant from the sandbox's identity server, renewed as Xero renews it), its till's sales and tenders mapped (xero-proxy map list)`,
          `  demo device    ${ready.deviceId}, API key ${ready.apiKey}`,
          `  device rights  ${ready.rights.join(', ')} (what the README's device API examples need)`,
          `  state          ${dataDir}`,
          '',
          "Push the till's end of shift; the proxy answers once Xero has the invoice and a payment per tender:",
          '',
          ...shiftRequest(curl, publicUrl, ready.apiKey, shift),
          '',
          "Then list the device's jobs (InvoiceID and number from Xero, or why not):",
          '',
          `  ${curl} -H 'Authorization: Bearer ${ready.apiKey}' ${publicUrl}/api/v1/jobs`,
          '',
          'Pair another app: POST /api/v1/pair, then approve it on the connect page. Ctrl+C stops.',
        ].join('\n'),
      );
      await stopped;
      await proxy.stop();
      await sandboxServer.close(config.server.shutdownGraceSeconds * 1000);
      sandbox.close();
      log.close();
    });
}

/** The curl command that posts `shift` and waits up to ten seconds for Xero, as lines to paste. */
function shiftRequest(curl: string, publicUrl: string, apiKey: string, shift: PosShift): string[] {
  return [
    `  ${curl} -X POST '${publicUrl}/api/v1/pos/shifts?wait=10' \\`,
    `    -H 'Authorization: Bearer ${apiKey}' -H 'Content-Type: application/json' -H 'Idempotency-Key: ${shift.shiftId}' \\`,
    `    --data '${JSON.stringify(shift)}'`,
  ];
}
