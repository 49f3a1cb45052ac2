import { Hono } from 'hono';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer } from '../../src/server/listen';
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
  const started = Date.now();
  await server.close(300);
  assert.ok(Date.now() - started < 2000);
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

listen.run();
