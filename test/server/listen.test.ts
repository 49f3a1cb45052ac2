import { Hono } from 'hono';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { caPermitted } from '../../src/domain/tls/lan-names';
import { createLocalCa, issueServerCertificate } from '../../src/domain/tls/local-ca';
import { systemClock } from '../../src/lib/clock';
import { DEFAULT_CONNECTION_LIMITS, startServer, type RunningServer } from '../../src/server/listen';
import { AppError } from '../../src/lib/errors';

const listen = suite('server.startServer');

listen('a graceful stop lets an in-flight request finish and refuses new connections', async () => {
  const app = new Hono();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  app.get('/slow', async (c) => {
    await gate;
    return c.text('finished');
  });
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 });
  const inFlight = fetch(`${server.url}/slow`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  const stopped = server.close(5000);
  let stopDone = false;
  void stopped.then(() => (stopDone = true));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.not.ok(stopDone, 'the stop waits for the in-flight request');
  await fetch(`${server.url}/slow`).then(
    () => assert.unreachable('a new connection was accepted during shutdown'),
    () => undefined,
  );
  release();
  const response = await inFlight;
  assert.is(await response.text(), 'finished');
  await stopped;
});

listen('the grace period cuts requests that take too long', async () => {
  const app = new Hono();
  app.get('/forever', () => new Promise<Response>(() => {}));
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 });
  const stuck = fetch(`${server.url}/forever`).then(
    () => 'answered',
    () => 'cut',
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  await server.close(300);
  assert.is(await stuck, 'cut');
});

listen('a port in use is reported as a sentence with a hint', async () => {
  const first = await startServer(new Hono().fetch, { host: '127.0.0.1', port: 0 });
  try {
    await startServer(new Hono().fetch, { host: '127.0.0.1', port: first.port });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, AppError);
    assert.is((error as AppError).message, `Cannot listen on 127.0.0.1:${first.port}: the port is already in use.`);
    assert.is((error as AppError).hint, 'Choose another port in the config file, or stop the program using it.');
  } finally {
    await first.close(100);
  }
});

/** A raw connection that sends `head`, then trickles `trickle` a byte every `everyMs` until closed. */
function trickle(server: RunningServer, head: string, trickle: string, everyMs: number): Promise<{ answer: string; bytesTrickled: number; finished: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, bytesTrickled: sent, finished: sent === trickle.length });
    });
    socket.on('error', () => undefined);
    socket.write(head);
    timer = setInterval(() => {
      if (sent < trickle.length) socket.write(trickle[sent++]!);
      // The whole body went: a server that never cut it off answers now, and the test fails.
      else clearInterval(timer);
    }, everyMs);
  });
}

const SHORT = { ...DEFAULT_CONNECTION_LIMITS, headersTimeoutSeconds: 1, requestTimeoutSeconds: 2 };

listen('a body trickled a byte at a time is cut off at the request timeout with 408, long before it ends', async () => {
  const app = new Hono();
  app.post('/echo', async (c) => c.text(await c.req.text()));
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 }, SHORT);
  try {
    // 60 bytes at one every 250 ms would take 15 s; the request timeout is 2 s.
    const body = 'x'.repeat(60);
    const result = await trickle(server, `POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: ${body.length}\r\n\r\n`, body, 250);
    assert.match(result.answer, /^HTTP\/1\.1 408 /);
    assert.not.ok(result.finished, `the server closed the connection after ${result.bytesTrickled} of ${body.length} bytes`);
  } finally {
    await server.close(100);
  }
});

listen('headers trickled a byte at a time are cut off at the headers timeout', async () => {
  const server = await startServer(new Hono().fetch, { host: '127.0.0.1', port: 0 }, SHORT);
  try {
    const result = await trickle(server, 'GET / HTTP/1.1\r\n', 'X-Slow: ' + 'y'.repeat(60) + '\r\n\r\n', 250);
    assert.match(result.answer, /^HTTP\/1\.1 408 /);
    assert.not.ok(result.finished);
  } finally {
    await server.close(100);
  }
});

listen('an answer that takes longer than the request timeout (a ?wait) is not cut off', async () => {
  const app = new Hono();
  app.post('/wait', async (c) => {
    await c.req.text();
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    return c.text('waited');
  });
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 }, SHORT);
  try {
    const response = await fetch(`${server.url}/wait`, { method: 'POST', body: 'x' });
    assert.is(await response.text(), 'waited');
  } finally {
    await server.close(100);
  }
});

listen('one address holds at most max_connections_per_address connections; more are closed as they arrive', async () => {
  const app = new Hono();
  app.get('/', (c) => c.text('ok'));
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 }, { ...DEFAULT_CONNECTION_LIMITS, maxConnectionsPerAddress: 3 });
  const open = (): Promise<Socket> =>
    new Promise((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => undefined);
    });
  const ask = (socket: Socket): Promise<string> =>
    new Promise((resolve) => {
      let text = '';
      socket.on('data', (data) => (text += data.toString()));
      socket.on('close', () => resolve(text === '' ? 'closed' : text.split('\r\n')[0]!));
      socket.write('GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    });
  try {
    const held = [await open(), await open(), await open()];
    const fourth = await open();
    assert.is(await ask(fourth), 'closed');
    // Another address is not held back by the first one's connections.
    const other = await new Promise<Socket>((resolve) => {
      const socket = connect({ port: server.port, host: '127.0.0.1', localAddress: '127.0.0.2' }, () => resolve(socket));
    });
    assert.is(await ask(other), 'HTTP/1.1 200 OK');
    assert.is(await ask(held[0]!), 'HTTP/1.1 200 OK');
    // With one of the three gone, the address may connect again.
    assert.is(await ask(await open()), 'HTTP/1.1 200 OK');
    for (const socket of held) socket.destroy();
  } finally {
    await server.close(100);
  }
});

/** A CA and a certificate for 127.0.0.1 from it, as the server presents them (key, then the chain). */
function certificateFor(): { key: string; cert: string; ca: string; fingerprint: string } {
  const ca = createLocalCa(systemClock, 'test', caPermitted({ hostname: 'test', addresses: [] }, 'localhost'));
  const leaf = issueServerCertificate(systemClock, ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  return { key: leaf.privateKey.reveal(), cert: leaf.certificatePem + ca.certificatePem, ca: ca.certificatePem, fingerprint: new X509Certificate(leaf.certificatePem).fingerprint256 };
}

function served(server: RunningServer, ca: string): Promise<{ fingerprint: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port: server.port, ca }, () => {
      resolve({ fingerprint: socket.getPeerCertificate().fingerprint256, protocol: socket.getProtocol() });
      socket.end();
    });
    socket.on('error', reject);
  });
}

function plainApp(): Hono {
  const app = new Hono();
  app.all('*', (c) => c.text('plain', 400));
  return app;
}

listen('with TLS, one port speaks HTTPS and plain HTTP, told apart by the first byte, with keep-alive on both', async () => {
  const app = new Hono();
  app.get('/where', (c) => c.text(new URL(c.req.url).protocol));
  const tls = certificateFor();
  const server = await startServer(app.fetch, { host: '127.0.0.1', port: 0 }, DEFAULT_CONNECTION_LIMITS, { key: tls.key, cert: tls.cert, plain: plainApp().fetch });
  try {
    assert.is(server.url, `https://127.0.0.1:${server.port}`);
    assert.is(server.bound, `127.0.0.1:${server.port}`);
    const { protocol } = await served(server, tls.ca);
    assert.ok(protocol === 'TLSv1.3' || protocol === 'TLSv1.2', String(protocol));
    const plain = await fetch(`http://127.0.0.1:${server.port}/where`);
    assert.equal([plain.status, await plain.text()], [400, 'plain']);
    // Two requests on one plain connection: the byte read to tell them apart is not lost.
    const twice = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      let text = '';
      socket.on('data', (data) => (text += data.toString()));
      socket.on('close', () => resolve(text));
      socket.write('GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    });
    assert.is(twice.match(/HTTP\/1\.1 400/g)?.length, 2);
  } finally {
    await server.close(100);
  }
});

listen('setTls presents a new certificate to the next connection, without a restart', async () => {
  const first = certificateFor();
  const server = await startServer(new Hono().fetch, { host: '127.0.0.1', port: 0 }, DEFAULT_CONNECTION_LIMITS, { key: first.key, cert: first.cert, plain: plainApp().fetch });
  try {
    assert.is((await served(server, first.ca)).fingerprint, first.fingerprint);
    const second = certificateFor();
    server.setTls({ key: second.key, cert: second.cert });
    assert.is((await served(server, second.ca)).fingerprint, second.fingerprint);
  } finally {
    await server.close(100);
  }
});

listen('with TLS, a connection that sends nothing is closed at the headers timeout, and the per-address limit holds', async () => {
  const tls = certificateFor();
  const server = await startServer(new Hono().fetch, { host: '127.0.0.1', port: 0 }, { ...SHORT, maxConnectionsPerAddress: 2 }, { key: tls.key, cert: tls.cert, plain: plainApp().fetch });
  try {
    const silent = connect(server.port, '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((resolve) => silent.on('connect', resolve));
    const other = connect(server.port, '127.0.0.1');
    other.on('error', () => undefined);
    await new Promise((resolve) => other.on('connect', resolve));
    const third = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => resolve('closed'));
      socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    });
    assert.is(third, 'closed', 'a third connection from the address is closed as it arrives');
    await new Promise((resolve) => silent.on('close', resolve));
    other.destroy();
  } finally {
    await server.close(100);
  }
});

listen.run();
