// The OpenAPI 3.1 document, generated from the zod schemas the routes validate with (z.toJSONSchema),
// so the document and the validation cannot drift. Routes are listed once, in ROUTES.
import { Router } from 'express';
import { z } from 'zod';
import * as S from './schemas.js';

type Method = 'get' | 'post' | 'put' | 'delete';
interface RouteDoc {
  method: Method;
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType; description?: string };
  /** The probes and /metrics: no bearer token unless protectOps. */
  open?: boolean;
}

const Ok = z.object({ ok: z.boolean() });
const Ready = z.object({ ready: z.boolean(), closed: z.boolean(), firing: z.array(z.string()), failing: z.array(z.string()).optional() });
const EventOut = z.object({ event: S.Event });
const diag = (method: Method, name: string, summary: string): RouteDoc =>
  ({ method, path: `/api/memory/${name}`, summary: `Diagnostic: ${summary}`, ok: { status: 200, schema: S.DiagnosticResponse } });

export const ROUTES: RouteDoc[] = [
  { method: 'post', path: '/api/memory/candidates', summary: 'Submit one candidate or {candidates:[…]} (at most 500)', query: S.SubmitQuery, body: S.SubmitBody,
    ok: { status: 202, schema: S.SubmitResponse, description: 'accepted and durable; with ?wait=1: 200 with each decision' } },
  { method: 'get', path: '/api/memory/users/{userId}/memories', summary: "A user's memories, paginated", params: S.UserParams, query: S.MemoriesQuery,
    ok: { status: 200, schema: z.object({ memories: z.array(S.Memory), cursor: z.string().optional() }) } },
  { method: 'get', path: '/api/memory/users/{userId}/events', summary: "A user's events, oldest first, paginated", params: S.UserParams, query: S.EventsQuery,
    ok: { status: 200, schema: z.object({ events: z.array(S.Event), cursor: z.string().optional() }) } },
  { method: 'get', path: '/api/memory/users/{userId}/recall', summary: 'Memories for a prompt (empty when memory.enhanced-prompts is off)', params: S.UserParams, query: S.RecallQuery,
    ok: { status: 200, schema: z.object({ memories: z.array(S.Memory) }) } },
  { method: 'delete', path: '/api/memory/users/{userId}/memories/{memoryId}', summary: 'Forget a memory (recorded as a forget event)', params: S.MemoryParams,
    ok: { status: 200, schema: EventOut } },
  { method: 'delete', path: '/api/memory/users/{userId}', summary: 'Erase every row of the user (right to erasure)', params: S.UserParams,
    ok: { status: 200, schema: z.object({ erased: z.literal(true), removed: z.number() }) } },
  { method: 'post', path: '/api/memory/events/{eventId}/undo', summary: 'Undo an event (recorded as an undo event)', params: S.EventParams,
    ok: { status: 200, schema: EventOut } },
  { method: 'get', path: '/api/memory/dead-letters', summary: 'Candidates that kept failing', ok: { status: 200, schema: z.object({ deadLetters: z.array(S.DeadLetter) }) } },
  { method: 'post', path: '/api/memory/dead-letters/redrive', summary: 'Put dead letters (all, or ids) back in the journal', body: S.RedriveBody,
    ok: { status: 200, schema: z.object({ redriven: z.number() }) } },
  { method: 'get', path: '/api/memory/flags', summary: 'Flags and their strategies', ok: { status: 200, schema: S.FlagsResponse } },
  { method: 'put', path: '/api/memory/flags/{name}', summary: 'Toggle a flag or set its rollout (embedded mode; 409 FLAGS_READ_ONLY in server mode)',
    params: S.FlagParams, body: S.FlagChangeBody, ok: { status: 200, schema: z.object({ flag: S.FlagSummary }) } },
  { method: 'get', path: '/api/memory/status', summary: 'Queue, journal, lanes, breakers, cache, flags, alerts and readiness',
    ok: { status: 200, schema: z.record(z.string(), z.unknown()) } },
  { method: 'get', path: '/api/memory/openapi.json', summary: 'This document', ok: { status: 200, schema: z.record(z.string(), z.unknown()) } },
  diag('post', 'background-processing-test', 'candidates are decided in the background'),
  diag('post', 'batch-processing-test', "one user's candidates are decided in batches"),
  diag('post', 'circuit-breaker-test', 'an open breaker fails fast'),
  diag('post', 'queue-management-test', '15 concurrent operations through the lanes'),
  diag('post', 'feature-flags-test', 'every seed flag evaluates, and how fast'),
  diag('post', 'rollout-test', 'the share of scratch users a rollout enables'),
  diag('post', 'monitoring-setup', 'engine events reach their subscribers'),
  diag('post', 'feature-toggle-test', 'a toggle takes effect'),
  diag('get', 'performance-monitoring-test', 'throughput and decision latency of a scratch load'),
  diag('get', 'production-readiness-test', 'readiness checks and a write-read-erase round trip'),
  diag('get', 'monitoring-dashboard-test', 'the data the dashboard shows'),
  ...['', '/api/memory'].flatMap((at): RouteDoc[] => [
    // The root probes (`memdedup serve`), and the same two under the router's mount point (createRouter).
    { method: 'get', path: `${at}/healthz`, summary: 'Liveness', open: true, ok: { status: 200, schema: Ok } },
    { method: 'get', path: `${at}/readyz`, summary: 'Readiness: store reachable, flags synchronized, no critical alert (503 when not ready)', open: true,
      ok: { status: 200, schema: Ready } },
  ]),
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics (text exposition format)', open: true, ok: { status: 200, description: 'text/plain; version=0.0.4' } },
];

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // io 'input': describe what a client sends (query strings before their transform to numbers).
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(where: 'path' | 'query', obj: z.ZodObject | undefined): unknown[] {
  if (!obj) return [];
  const js = jsonSchema(obj) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({
    name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema,
  }));
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: jsonSchema(S.ErrorResponse) } } });

export function openApiDocument(o: { diagnostics?: boolean } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    if (!o.diagnostics && r.ok.schema === S.DiagnosticResponse) continue;
    const op: Record<string, unknown> = {
      summary: r.summary,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query)],
      responses: {
        [r.ok.status]: { description: r.ok.description ?? 'OK', ...(r.ok.schema ? { content: { 'application/json': { schema: jsonSchema(r.ok.schema) } } } : {}) },
        ...(r.open ? {} : { 401: errorResponse('UNAUTHORIZED: a bearer token is configured and was not given') }),
        400: errorResponse('INVALID_INPUT: details name each bad field'),
        404: errorResponse('NOT_FOUND'),
        500: errorResponse('INTERNAL (never a stack trace)'),
      },
      ...(r.open ? { security: [] } : {}),
    };
    if (r.body) op.requestBody = { required: r.method !== 'post' || r.path.endsWith('/candidates'), content: { 'application/json': { schema: jsonSchema(r.body) } } };
    if (r.body) (op.responses as Record<string, unknown>)[413] = errorResponse('PAYLOAD_TOO_LARGE: over 1 MB');
    if (r.path.endsWith('/candidates')) (op.responses as Record<string, unknown>)[503] = errorResponse('OVERLOADED: the journal is full; Retry-After says when to retry');
    if (r.path.endsWith('/candidates')) (op.responses as Record<string, unknown>)[422] = errorResponse('STORE_REJECTED: the store refused a candidate on its own; details name it, the others are durable');
    if (r.path.startsWith('/api/memory/flags/')) (op.responses as Record<string, unknown>)[409] = errorResponse('FLAGS_READ_ONLY: flags come from an Unleash server');
    (paths[r.path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'memdedup HTTP API', version: '0.1.0', description: 'Per-user long-term memory deduplication engine.' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

export function openApiRoutes(o: { diagnostics?: boolean } = {}): Router {
  const doc = openApiDocument(o);
  const r = Router();
  r.get('/openapi.json', (_req, res) => { res.json(doc); });
  return r;
}
