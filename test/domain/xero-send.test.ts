import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { send, type Transport } from '../../src/domain/xero/send';
import { XeroError } from '../../src/domain/xero/xero-error';

/** A TCP server that does whatever `onRequest` does with the socket once a request has arrived. */
async function rawServer(onRequest: (socket: Socket) => void): Promise<{ url: string; server: Server }> {
  const server = createTcpServer((socket) => socket.once('data', () => onRequest(socket)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api.xro/2.0/Invoices`, server };
}

async function httpServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function expectXeroError(promise: Promise<unknown>, expected: { code: string; delivery: string; retryable: boolean; message: string | RegExp }): Promise<XeroError> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, XeroError);
    const e = error as XeroError;
    assert.is(e.code, expected.code);
    assert.is(e.delivery, expected.delivery);
    assert.is(e.retryable, expected.retryable);
    if (typeof expected.message === 'string') assert.is(e.message, expected.message);
    else assert.match(e.message, expected.message);
    return e;
  }
  return assert.unreachable('expected a XeroError') as never;
}

const closed = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const answers = suite('xero.send answers');

answers('returns any status with lower-case headers and the whole body, and never follows a redirect', async () => {
  const server = await httpServer((request, response) => {
    if (request.url === '/moved') return response.writeHead(302, { Location: 'http://elsewhere.test/' }).end();
    response.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8', 'X-Thing': 'Café' }).end(`oauth_problem=token_expired&method=${request.method}&auth=${request.headers.authorization}&body=${request.headers['content-length']}`);
  });
  try {
    const answer = await send(fetch as Transport, { method: 'POST', url: `${server.url}/x`, headers: { Authorization: 'OAuth a="b"' }, body: 'xml=1' });
    assert.is(answer.status, 401);
    assert.is(answer.headers['content-type'], 'text/html; charset=utf-8');
    assert.is(answer.body, 'oauth_problem=token_expired&method=POST&auth=OAuth a="b"&body=5');
    const moved = await send(fetch as Transport, { method: 'GET', url: `${server.url}/moved`, headers: {} });
    assert.is(moved.status, 302);
    assert.is(moved.headers['location'], 'http://elsewhere.test/');
  } finally {
    await server.close();
  }
});

answers('refuses an answer larger than the limit without reading it all', async () => {
  const server = await httpServer((_request, response) => response.end('x'.repeat(5000)));
  try {
    await expectXeroError(send(fetch as Transport, { method: 'GET', url: server.url, headers: {} }, { maxBodyBytes: 1000 }), {
      code: 'upstream',
      delivery: 'answered',
      retryable: false,
      message: `Xero's answer from ${new URL(server.url).host} was larger than the 1000 bytes allowed.`,
    });
  } finally {
    await server.close();
  }
});

answers.run();

const failures = suite('xero.send failures');

failures('a refused connection was not sent', async () => {
  const { url, server } = await rawServer(() => undefined);
  await closed(server);
  const error = await expectXeroError(send(fetch as Transport, { method: 'PUT', url, headers: {} }), {
    code: 'unavailable',
    delivery: 'not_sent',
    retryable: true,
    message: `Could not connect to Xero at ${new URL(url).host} (connection refused); the request was not sent.`,
  });
  assert.is(error.hint, 'Check xero.api_url and the network connection.');
});

failures('a name that does not resolve was not sent (transport injected)', async () => {
  const transport: Transport = async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.xero.test'), { code: 'ENOTFOUND' }) });
  };
  await expectXeroError(send(transport, { method: 'PUT', url: 'https://api.xero.test/api.xro/2.0/Invoices', headers: {} }), {
    code: 'unavailable',
    delivery: 'not_sent',
    retryable: true,
    message: 'Could not connect to Xero at api.xero.test (host not found); the request was not sent.',
  });
});

failures('a connection closed after the request was written may have reached Xero', async () => {
  const { url, server } = await rawServer((socket) => socket.destroy());
  try {
    await expectXeroError(send(fetch as Transport, { method: 'PUT', url, headers: {}, body: '<Invoices/>' }), {
      code: 'unavailable',
      delivery: 'unknown',
      retryable: true,
      message: `The request to Xero at ${new URL(url).host} failed (connection closed); it may have reached Xero.`,
    });
  } finally {
    await closed(server);
  }
});

failures('no answer within the timeout may have reached Xero', async () => {
  const { url, server } = await rawServer(() => undefined);
  try {
    await expectXeroError(send(fetch as Transport, { method: 'PUT', url, headers: {} }, { timeoutMs: 200 }), {
      code: 'unavailable',
      delivery: 'unknown',
      retryable: true,
      message: `The request to Xero at ${new URL(url).host} failed (no answer within 0.2 seconds); it may have reached Xero.`,
    });
  } finally {
    server.close();
  }
});

failures('an answer cut off half way reached Xero with an unknown outcome', async () => {
  const { url, server } = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<Response><Invoices>');
    setTimeout(() => socket.destroy(), 20);
  });
  try {
    await expectXeroError(send(fetch as Transport, { method: 'PUT', url, headers: {} }), {
      code: 'unavailable',
      delivery: 'unknown',
      retryable: true,
      message: `Xero's answer from ${new URL(url).host} was cut off (connection closed); the request reached Xero but its outcome is unknown.`,
    });
  } finally {
    await closed(server);
  }
});

failures("the caller's signal stops the exchange (shutdown)", async () => {
  const { url, server } = await rawServer(() => undefined);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('shutting down')), 50);
  try {
    await expectXeroError(send(fetch as Transport, { method: 'GET', url, headers: {} }, { signal: controller.signal }), {
      code: 'unavailable',
      delivery: 'unknown',
      retryable: true,
      message: `The request to Xero at ${new URL(url).host} failed (shutting down); it may have reached Xero.`,
    });
  } finally {
    server.close();
  }
});

failures.run();
