// The bare-Hono baseline, run as its own process (`tsx bench/bare.ts`, port in BENCH_BARE_PORT):
// the proxy's HTTP server with one route that reads the body whole, as the device API does, and
// answers 202. What the proxy's accept adds on top of this is its own work.
import { Hono } from 'hono';
import { startServer } from '../src/server/listen';

const port = Number(process.env['BENCH_BARE_PORT']);
if (!Number.isInteger(port) || port < 1) throw new Error('BENCH_BARE_PORT must name the port to listen on');

const app = new Hono();
app.get('/healthz', (c) => c.json({ ok: true }));
app.post('/x', async (c) => {
  await c.req.arrayBuffer();
  return c.json({ accepted: true }, 202);
});
const server = await startServer(app.fetch, { host: '127.0.0.1', port });
console.log(`bare Hono on ${server.url}`);
process.once('SIGTERM', () => void server.close(1000).then(() => process.exit(0)));
