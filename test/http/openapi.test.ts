// The OpenAPI document lists exactly the routes the routers serve, with schemas generated from the zod schemas.
import type { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { ROUTES, openApiDocument } from '../../src/http/openapi.js';
import { opsRoutes } from '../../src/http/opsRoutes.js';
import { createRouter } from '../../src/http/router.js';
import { testEngine } from '../helpers/engine.js';

let engine: Engine;
beforeAll(async () => { ({ engine } = await testEngine({ file: false })); });
afterAll(async () => { await engine.close(); });

interface LayerLike { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: LayerLike[] } }

/** Walks a router and its sub-routers (all mounted at '/'), answering "METHOD /path" for each route. */
function served(router: Router, prefix: string): string[] {
  const out: string[] = [];
  const walk = (stack: LayerLike[]) => {
    for (const layer of stack) {
      if (layer.route) for (const m of Object.keys(layer.route.methods)) out.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((router as unknown as { stack: LayerLike[] }).stack);
  return out.sort();
}

describe('GET /api/memory/openapi.json', () => {
  it('documents exactly the routes served', () => {
    const routes = [...served(createRouter(engine, { diagnostics: true }), '/api/memory'), ...served(opsRoutes(engine), '')].sort();
    const documented = ROUTES.map((r) => `${r.method.toUpperCase()} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`).sort();
    expect(documented).toEqual(routes);
  });

  it('is OpenAPI 3.1 with more than ten paths, parameters and JSON schemas', () => {
    const doc = openApiDocument({ diagnostics: true }) as { openapi: string; paths: Record<string, Record<string, any>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(10);
    const submit = doc.paths['/api/memory/candidates']!.post;
    expect(JSON.stringify(submit.requestBody.content['application/json'].schema)).toContain('"maxItems":500');
    const mem = doc.paths['/api/memory/users/{userId}/memories']!.get;
    expect(mem.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:userId', 'query:status', 'query:limit', 'query:cursor']);
    expect(mem.parameters[0].schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 128 });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops)) expect(Object.keys(op.responses).length, path).toBeGreaterThan(0);
    }
  });
});
