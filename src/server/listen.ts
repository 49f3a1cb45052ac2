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

/** How long clients may take, and how many connections they may hold. */
export interface ConnectionLimits {
  headersTimeoutSeconds: number;
  /** To receive a whole request; the time spent answering it (e.g. `?wait=`) does not count. */
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  maxConnectionsPerAddress: number;
  /** Every address together. */
  maxConnections: number;
}

/** For servers with no configuration of their own (the sandbox): Node's defaults, made tighter. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  idleTimeoutSeconds: 5,
  maxConnectionsPerAddress: 100,
  maxConnections: 1000,
};

/** Serves a Hono `fetch` on `listen`; port 0 picks a free port. */
export function startServer(fetch: FetchHandler, listen: Listen, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS): Promise<RunningServer> {
  const server = createAdaptorServer({
    fetch: fetch as never,
    hostname: listen.host,
    serverOptions: {
      headersTimeout: limits.headersTimeoutSeconds * 1000,
      requestTimeout: limits.requestTimeoutSeconds * 1000,
      keepAliveTimeout: limits.idleTimeoutSeconds * 1000,
      // Node looks for requests past their timeout every 30 s by default, which would let a body
      // trickled a byte at a time outlive a short request timeout by that much.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutSeconds * 1000),
    },
  }) as Server;
  server.maxConnections = limits.maxConnections;
  // Idle keep-alive sockets must not hold a graceful shutdown open; in-flight ones are waited for.
  const sockets = new Set<Socket>();
  const perAddress = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const held = perAddress.get(address) ?? 0;
    if (held >= limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, held + 1);
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
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
