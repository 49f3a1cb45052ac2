import { Hono } from 'hono';
import { isOAuth2AppType } from '../../config/oauth2';
import { assertRight } from '../../domain/device-rights';
import { authHeaders } from '../../domain/xero/auth';
import type { XeroRequest } from '../../domain/xero/http';
import { AppError } from '../../lib/errors';
import type { XeroCalls } from '../../services/xero-calls';
import type { XeroDeps } from '../../services/xero-app';
import { findOrganisation } from '../../store/organisations';
import { requireDevice, type DeviceEnv } from '../device-auth';

/** Only Xero's APIs may be reached through the proxy, never its token endpoints. */
const ALLOWED = /^(api\.xro\/2\.0|payroll\.xro\/1\.0|payroll\.xro\/2\.0)\/[A-Za-z0-9/._-]*$/;
const FORWARDED_HEADERS = ['accept', 'content-type', 'if-modified-since'];
/** Xero's answer headers an app needs: what it is, and when to try again after a rate limit. */
const ANSWER_HEADERS = ['content-type', 'retry-after', 'x-rate-limit-problem'];
const READS = new Set(['GET']);

/**
 * `ANY /xero/{path}`: the organisation's Xero API, signed, renewed, relink-checked, paced and
 * counted like every call (sharing the delivery loop's pacer: when the organisation's turn does
 * not come within a few seconds the answer is 429 `rate_limited` with `Retry-After`). Only for
 * devices given the right: `accounting.read` or `payroll.read` to read, `write` for anything
 * else, since writes bypass the queue's de-duplication.
 */
export function passThroughRoutes(deps: XeroDeps, calls: XeroCalls): Hono<DeviceEnv> {
  const app = new Hono<DeviceEnv>();
  app.all('/xero/*', requireDevice(deps), async (c) => {
    const device = c.get('device');
    const url = new URL(c.req.url);
    const path = url.pathname.replace(/^.*?\/xero\//, '');
    if (!ALLOWED.test(path)) throw new AppError('invalid', `Only Xero's accounting (api.xro/2.0/…) and payroll (payroll.xro/1.0/… or payroll.xro/2.0/…) APIs can be reached, not "${path}".`, { field: 'path' });
    const method = c.req.method;
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT' && method !== 'DELETE') throw new AppError('invalid', `Xero's APIs take GET, PUT, POST and DELETE, not ${method}.`, { field: 'method' });
    assertRight(device, method, `/xero/${path}`);
    if (!device.organisationId) throw new AppError('conflict', 'This device is not linked to an organisation; pair it again.');
    // Payroll 2.0 takes OAuth 2.0 only: an OAuth 1.0a organisation's call would meet a 401 that
    // reads as a rejected token and would hold every document of the organisation for a relink.
    const organisation = path.startsWith('payroll.xro/2.0/') ? findOrganisation(deps.db, device.organisationId) : undefined;
    if (organisation && !isOAuth2AppType(organisation.appType)) {
      throw new AppError('conflict', `Payroll 2.0 (payroll.xro/2.0) takes OAuth 2.0 only, and ${organisation.name} is linked through an OAuth 1.0a app; link it through an OAuth 2.0 app to reach it.`, { field: 'path' });
    }
    const body = READS.has(method) ? undefined : await c.req.text();
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = c.req.header(name);
      if (value) headers[name] = value;
    }
    const target = `${deps.config.xero.apiUrl}/${path}${url.search}`;
    // A form body (the classic xml= field) is part of the OAuth 1.0a signature; raw bodies are not.
    const form = body !== undefined && /application\/x-www-form-urlencoded/i.test(headers['content-type'] ?? '') ? body : undefined;
    const response = await calls.call(device.organisationId, (auth): XeroRequest => ({
      method,
      url: target,
      headers: { ...headers, ...authHeaders(auth, { method, url: target, ...(form !== undefined ? { form } : {}) }) },
      ...(body !== undefined ? { body } : {}),
    }));
    const answerHeaders: Record<string, string> = {};
    for (const name of ANSWER_HEADERS) if (response.headers[name]) answerHeaders[name] = response.headers[name];
    return c.body(response.body, response.status as 200, answerHeaders);
  });
  return app;
}
