import type { Command } from 'commander';
import { AppError } from '../lib/errors';
import { silentLogger } from '../lib/logger';
import { currentAlerts, sendTestAlert } from '../services/alerts';
import { withStore } from './context';
import { printData, table, type Io } from './output';

/** `xero-proxy alerts test|list`: prove the alert channels work, and see what needs a person now. */
export function registerAlerts(program: Command, io: Io): void {
  const alerts = program.command('alerts').description('alerts by e-mail and webhook: send a test, list what needs a person');

  alerts
    .command('test')
    .description('send a test alert on every configured channel (alerts.email_to, alerts.webhook_url)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, async (store) => {
        const deliveries = await sendTestAlert({ ...store, logger: silentLogger });
        printData(io, Boolean(options.json), { deliveries }, () =>
          deliveries.map((d) => (d.ok ? `sent by ${d.channel} to ${d.target}` : `not sent by ${d.channel}: ${d.problem}`)).join('\n'),
        );
        const failed = deliveries.filter((d) => !d.ok);
        if (failed.length > 0) throw new AppError('unavailable', `The test alert did not go by ${failed.map((d) => d.channel).join(' and ')}.`, { hint: failed.map((d) => d.problem).join(' ') });
      });
    });

  alerts
    .command('list')
    .description('what needs a person now, as the alerts would say it')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withStore(command, (store) => {
        const rows = currentAlerts({ ...store, logger: silentLogger }).map((a) => ({ organisation: a.organisationName ?? '(whole proxy)', cause: a.cause, summary: a.summary }));
        printData(io, Boolean(options.json), { alerts: rows }, () => (rows.length === 0 ? 'Nothing needs a person.' : table(rows, ['organisation', 'cause', 'summary'])));
      });
    });
}
