import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AppError } from '../lib/errors';
import type { Listen } from '../config/types';

/** A listening HTTP server with a graceful stop. */
export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 (the real port when 0 was asked for). */
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

type FetchHandler = (request: Request, env: Record<string, unknown>) => Response | Promise<Response>;

/** Serves a Hono `fetch` on `listen`; port 0 picks a free port. */
export function startServer(fetch: FetchHandler, listen: Listen): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: fetch as never, hostname: listen.host }) as Server;
  // Idle keep-alive sockets must not hold a graceful shutdown open; in-flight ones are waited for.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new AppError('unavailable', `Cannot listen on ${listen.host}:${listen.port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message}.`, {
          hint: 'Choose another port in the config file, or stop the program using it.',
          cause: error,
        }),
      );
    });
    server.listen(listen.port, listen.host, () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
        port: address.port,
        server,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => {
              for (const socket of sockets) socket.destroy();
            }, graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
