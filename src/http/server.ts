// The HTTP server around an engine: JSON only, errors from the catalogue.
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { Engine } from '../engine.js';
import { errorHandler, notFound } from './errors.js';
import { opsRoutes } from './opsRoutes.js';
import { memoryRoutes } from './routes.js';

export const BODY_LIMIT = '1mb';

export function createApp(engine: Engine): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: BODY_LIMIT, type: () => true, strict: false }));
  app.get('/healthz', (_req, res) => { res.json({ ok: true }); });
  app.use(opsRoutes(engine));
  app.use('/api/memory', memoryRoutes(engine));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

export interface RunningServer { server: Server; url: string; close(): Promise<void> }

export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const addr = server.address();
      const url = typeof addr === 'object' && addr ? `http://${host}:${addr.port}` : `http://${host}:${port}`;
      resolve({
        server, url,
        close: () => new Promise<void>((r) => { server.close(() => r()); server.closeIdleConnections?.(); }),
      });
    });
  });
}
