// A real engine on a real SQLite file behind the real app on a loopback port.
import type { Engine, EngineInternals } from '../../src/engine.js';
import { createApp, listen, type HttpOptions, type RunningServer } from '../../src/http/server.js';
import type { EngineOptions } from '../../src/options.js';
import { testEngine } from '../helpers/engine.js';

export interface Reply { status: number; json: any; text: string; headers: Headers }

export interface TestServer {
  engine: Engine;
  srv: RunningServer;
  dbPath: string;
  flagsFile: string;
  dir: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

export async function startTestServer(http: HttpOptions = {}, engineOptions: EngineOptions = {}, internals?: EngineInternals): Promise<TestServer> {
  const { engine, dbPath, flagsFile, dir } = await testEngine(engineOptions, internals);
  const srv = await listen(createApp(engine, http), '127.0.0.1', 0);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const r = await fetch(srv.url + path, init);
    const text = await r.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: r.status, json, text, headers: r.headers };
  };
  return { engine, srv, dbPath, flagsFile, dir, call, close: async () => { await srv.close(); await engine.close(); } };
}
