import type { XeroConsumer } from '../domain/xero/credentials';
import type { Transport } from '../domain/xero/send';
import { AppError } from '../lib/errors';
import { loadActiveSigningKey } from '../store/certificates';
import type { ServiceDeps } from './deps';

/** Services that talk to Xero get the network injected: `fetch` in production. */
export interface XeroDeps extends ServiceDeps {
  transport: Transport;
}

/**
 * The app as Xero knows it, from the config and the active certificate: public apps sign with
 * HMAC-SHA1 and the consumer secret, private and partner apps with RSA-SHA1 and the private key.
 */
export function xeroConsumer(deps: ServiceDeps): XeroConsumer {
  const { appType, consumerKey, consumerSecret } = deps.config.xero;
  if (consumerKey === '') {
    throw new AppError('invalid', 'xero.consumer_key: is empty.', { field: 'xero.consumer_key', hint: 'Set it to the consumer key of your app in the Xero developer portal.' });
  }
  if (appType === 'public') {
    if (consumerSecret.isEmpty) {
      throw new AppError('invalid', 'xero.consumer_secret: is empty; a public app signs with it.', { field: 'xero.consumer_secret', hint: 'Set it from the Xero developer portal, e.g. as "env:XERO_CONSUMER_SECRET".' });
    }
    return { consumerKey, consumerSecret, signatureMethod: 'HMAC-SHA1' };
  }
  const privateKeyPem = loadActiveSigningKey(deps.db, deps.keyring);
  if (!privateKeyPem) {
    throw new AppError('invalid', `A ${appType} app signs with a certificate, and none is active.`, {
      hint: 'Run `xero-proxy cert create` and upload publickey.cer to the app in the Xero developer portal (or `cert import` an existing pair).',
    });
  }
  return { consumerKey, privateKeyPem, signatureMethod: 'RSA-SHA1' };
}
