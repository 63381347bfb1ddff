// Hostile and malformed requests for the fuzz test, from a seeded generator (the same cases every run).
export interface FuzzCase { method: string; path: string; headers: Record<string, string>; body?: Buffer | string }

/** mulberry32: small, seeded, good enough to pick cases. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nest = (depth: number, open: string, close: string, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);

const IDS = ['..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e', '....//....//', '%00', '%E0%A4%A', '%ZZ', '%', '%c0%af', '%ff%fe',
  'a%20b', '%F0%9F%98%80', 'u'.repeat(129), 'u'.repeat(5000), '%0d%0aSet-Cookie:x=1', '__proto__', 'constructor', '%u0041', 'a;b', '*', '%7B%7D'];

const LIMITS = ['-1', '0', '1e9', '99999999999999999999', 'abc', 'NaN', 'Infinity', '1.5', '%00', '', '1&limit=2', '0x10', ' 1', '1001'];
const CURSORS = ['%00%ff', 'zz', '!!!', 'czox', Buffer.from('s:-1').toString('base64url'), Buffer.from('s:1e99').toString('base64url'),
  'x'.repeat(5000), '%E0%A4%A', Buffer.from("s:1' OR 1=1 --").toString('base64url'), '1&cursor=2'];

const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '',
  'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=nope', 'application/xml',
  'application/vnd.api+json', 'image/png', '*/*', 'application/json, text/plain'];

function junkValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 14);
  switch (pick) {
    case 0: return null;
    case 1: return r() * 1e308 * (r() < 0.5 ? -1 : 1);
    case 2: return r() < 0.5;
    case 3: return 'x'.repeat(Math.floor(r() * 3000));
    case 4: return '\u0000\u0001\u001b[31m\u007f\u0085';
    case 5: return '\ud800\udfff\ud800';
    case 6: return depth < 3 ? [junkValue(r, depth + 1), junkValue(r, depth + 1)] : [];
    case 7: return depth < 3 ? { [String(Math.floor(r() * 10))]: junkValue(r, depth + 1) } : {};
    case 8: return { $ne: 1 };
    case 9: return '../../etc/passwd';
    case 10: return '';
    case 11: return -0;
    case 12: return 'ok text';
    default: return 1e21;
  }
}

/** Every C0 control, DEL, a C1 control and lone surrogates, placed anywhere in text, source or ids (tab/LF/CR are allowed in text). */
export const CONTROLS = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u009f', '\ud800', '\udfff'];

export function controlCharCandidate(r: () => number): Record<string, string> {
  const ch = CONTROLS[Math.floor(r() * CONTROLS.length)]!;
  const where = Math.floor(r() * 4);
  const c: Record<string, string> = { userId: 'fc', text: `Fact with a control ${ch} inside` };
  if (where === 1) c.source = `src${ch}`;
  if (where === 2) c.userId = `fc${ch}`;
  if (where === 3) c.id = `id${ch}x`;
  return r() < 0.3 ? { candidates: [{ userId: 'fc', text: 'A fine one' }, c] } as unknown as Record<string, string> : c;
}

function candidateBody(r: () => number): string | Buffer {
  const pick = Math.floor(r() * 24);
  switch (pick) {
    case 22: return r() < 0.15 ? JSON.stringify({ userId: 'f', text: 'z'.repeat(1_100_000) }) : '{"userId":"f","text":"z"';
    case 23: return r() < 0.15 ? nest(450_000, '[', ']') : nest(50_000, '{"a":', '}');
    case 0: return '';
    case 1: return '{"userId": "x", "text": ';
    case 2: return nest(5000, '[', ']');
    case 3: return '{' + '"a":{'.repeat(2000) + '}'.repeat(2001);
    case 4: return JSON.stringify({ userId: junkValue(r), text: junkValue(r) });
    case 5: return JSON.stringify({ candidates: junkValue(r) });
    case 6: return JSON.stringify({ candidates: Array.from({ length: 501 }, (_, i) => ({ userId: 'f', text: `t${i}` })) });
    case 7: return JSON.stringify({ candidates: [junkValue(r), junkValue(r), junkValue(r)] });
    case 8: return Buffer.from([0x7b, 0x22, 0x75, 0x73, 0x65, 0x72, 0x49, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]); // {"userId":"<invalid utf-8>"}
    case 9: return JSON.stringify({ userId: 'f', text: 'y'.repeat(2001) });
    case 10: return JSON.stringify({ userId: 'f'.repeat(129), text: 'y' });
    case 11: return '{"__proto__": {"polluted": true}, "userId": "f", "text": "proto"}';
    case 12: return JSON.stringify({ userId: 'f', text: 'ok', priority: junkValue(r), source: junkValue(r), id: junkValue(r) });
    case 13: return 'null';
    case 14: return '"a string"';
    case 15: return '12345';
    case 16: return '[]';
    case 17: return Buffer.alloc(64, 0);
    case 18: return JSON.stringify({ userId: 'f\u0000', text: '\u0000' });
    case 19: return '{"userId":"f","text":"dup","userId":"g"}';
    case 20: return JSON.stringify({ userId: 'f', text: '   \n\t  ' });
    case 21: return JSON.stringify(controlCharCandidate(r));
    default: return JSON.stringify(junkValue(r));
  }
}

const ROUTES = (id: string) => [
  `/api/memory/users/${id}/memories`, `/api/memory/users/${id}/events`, `/api/memory/users/${id}/recall`,
  `/api/memory/users/${id}/memories/${id}`, `/api/memory/users/${id}`, `/api/memory/events/${id}/undo`, `/api/memory/flags/${id}`,
  `/api/memory/${id}`, `/${id}`, `/api/memory/dead-letters/${id}`, `/api/${id}/memory`,
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

/** n cases. Flag routes get junk bodies only, so the fuzz never flips a real flag. */
export function fuzzCases(n: number, seed = 7): FuzzCase[] {
  const r = rng(seed);
  const one = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const out: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 5;
    const ct = one(CONTENT_TYPES);
    const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
    if (kind === 0 || kind === 1) {
      out.push({ method: 'POST', path: `/api/memory/candidates${r() < 0.2 ? `?wait=${one(LIMITS)}` : ''}`, headers: kind === 0 ? { 'content-type': 'application/json' } : headers, body: candidateBody(r) });
    } else if (kind === 2) {
      const base = one(['memories', 'events', 'recall']);
      const q = [`limit=${one(LIMITS)}`, `cursor=${one(CURSORS)}`, `status=${one(['all', 'active', 'nope', '', 'ALL'])}`, `query=${one(['%00', 'x'.repeat(3000), '%E0%A4%A', 'a'])}`];
      out.push({ method: 'GET', path: `/api/memory/users/${one(IDS)}/${base}?${q.filter(() => r() < 0.6).join('&')}`, headers: {} });
    } else if (kind === 3) {
      const path = one(ROUTES(one(IDS)));
      const method = one(METHODS);
      const body = method === 'GET' || method === 'HEAD' ? undefined : path.includes('/flags/') ? JSON.stringify(junkValue(r)) : candidateBody(r);
      out.push({ method, path, headers: body === undefined ? {} : headers, body });
    } else {
      const pick = one(['/api/memory/dead-letters/redrive', '/api/memory/flags/memory.enabled', '/api/memory/users/f/memories?limit=1&limit=2']);
      const body = pick.includes('/flags/') ? JSON.stringify({ enabled: junkValue(r), rollout: one([-1, 101, 1.5, '50', null, 1e9]) })
        : pick.includes('redrive') ? JSON.stringify({ ids: junkValue(r) }) : undefined;
      out.push({ method: body === undefined ? 'GET' : pick.includes('/flags/') ? 'PUT' : 'POST', path: pick, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body });
    }
  }
  return out;
}
