/**
 * Requests generated from the server's own OpenAPI document (`GET /api/openapi.json`): every path × method, its path
 * and query parameters and its body, each either shaped by the documented schema or hostile (see hostile-values.ts).
 */
import fc from 'fast-check';
import {
  contentType, encodeSegment, hostileBodyText, hostileJson, hostileKey, hostileString, jsonText, ownKeysObject, sometimes, urlPiece,
} from './hostile-values.ts';

type Json = Record<string, any>;

/** One documented operation. */
export interface Operation {
  method: string;
  /** OpenAPI path, `/api/runs/{id}`. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Json }[];
  /** Schema of the JSON body, when the operation takes one. */
  body?: Json;
}

/** A request ready to send. */
export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The operation it was generated from (for reports). */
  op: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every operation of an OpenAPI 3.1 document. */
export function operationsOf(doc: Json): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [m, op] of Object.entries(item as Json)) {
      if (!METHODS.includes(m)) continue;
      const params = (op.parameters ?? []) as Json[];
      ops.push({
        method: m.toUpperCase(), path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name as string),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name as string, schema: (p.schema ?? {}) as Json })),
        body: op.requestBody?.content?.['application/json']?.schema as Json | undefined,
      });
    }
  }
  return ops;
}

/** An arbitrary value shaped by a JSON Schema (`$ref`s into `components.schemas`), with hostile leaves. */
export function fromSchema(schema: Json | undefined, doc: Json, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return hostileJson.map((t) => JSON.parse(jsonText(t), (k, v) => (k === '__proto__' ? undefined : v)) as unknown);
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return fc.constant(null).chain(() => fromSchema(doc.components?.schemas?.[name] as Json | undefined, doc, depth + 1));
  }
  const alts = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alts) return fc.oneof(...alts.map((s) => fromSchema(s, doc, depth + 1)));
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(schema.enum as unknown[])) }, { weight: 1, arbitrary: hostileString });
  const type = Array.isArray(schema.type) ? fc.constantFrom(...(schema.type as string[])) : fc.constant(schema.type as string | undefined);
  return type.chain((t) => {
    switch (t) {
      case 'object': {
        const props = Object.entries((schema.properties ?? {}) as Json);
        const required = new Set((schema.required ?? []) as string[]);
        const fields = props.map(([k, s]) => fc.tuple(fc.constant(k), fromSchema(s as Json, doc, depth + 1), fc.boolean()));
        const extra = fc.array(fc.tuple(hostileKey, fromSchema(undefined, doc, 99), fc.constant(true)), { maxLength: 2 });
        return fc.tuple(fc.tuple(...fields), extra).map(([fs, ex]) => ownKeysObject(
          [...fs, ...ex].filter(([k, , keep]) => keep || required.has(k)).map(([k, v]) => [k, v] as [string, unknown]),
        ));
      }
      case 'array': return fc.array(fromSchema(schema.items as Json | undefined, doc, depth + 1), { maxLength: 4 });
      case 'string': return fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) }, { weight: 2, arbitrary: hostileString });
      case 'integer':
      case 'number': return fc.oneof(
        fc.integer({ min: Number(schema.minimum ?? -5), max: Math.min(Number(schema.maximum ?? 1000), 1000) }),
        fc.constantFrom(-1, 0, 2 ** 31, 1e21, 0.5, Number.MAX_SAFE_INTEGER),
      );
      case 'boolean': return fc.boolean();
      case 'null': return fc.constant(null);
      default: return fromSchema(undefined, doc, 99);
    }
  });
}

/** Values for a path parameter: a known id (so handlers reach the database), or a hostile one. */
function pathValue(name: string, ids: string[]): fc.Arbitrary<string> {
  const known = name === 'provider' ? ['openai', 'anthropic', 'gemini', 'scripted', 'vllm'] : name === 'name' ? ['flowchart-v1', 'run', 'routing.schema.json'] : ids;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known).map(encodeSegment) },
    { weight: 3, arbitrary: urlPiece },
    { weight: 1, arbitrary: fc.constantFrom(150, 999, 1001, 5000).map((n) => 'i'.repeat(n)) },
  );
}

function queryValue(schema: Json, doc: Json): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fromSchema(schema, doc, 3).map((v) => encodeSegment(typeof v === 'string' ? v : JSON.stringify(v) ?? '')) },
    { weight: 4, arbitrary: urlPiece },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 20_000).map((n) => 'q'.repeat(n)) },
  );
}

/** The request arbitrary of one operation. `ids` are existing ids of any kind. */
export function requestArbitrary(op: Operation, doc: Json, ids: string[]): fc.Arbitrary<FuzzRequest> {
  const pathArb = fc.tuple(...op.pathParams.map((p) => pathValue(p, ids).map((v) => [p, v] as const)))
    .map((pairs) => pairs.reduce((path, [p, v]) => path.replace(`{${p}}`, v), op.path));
  const known = op.query.map((q) => sometimes(queryValue(q.schema, doc).map((v) => `${q.name}=${v}`), 2));
  const queryArb = fc.tuple(fc.tuple(...known), fc.array(fc.tuple(urlPiece, urlPiece).map(([k, v]) => `${k}=${v}`), { maxLength: 2 }))
    .map(([ks, extra]) => [...ks.filter((k): k is string => k !== null), ...extra].join('&'));
  const takesBody = op.method !== 'GET' && op.method !== 'DELETE';
  const bodyArb: fc.Arbitrary<string | undefined> = takesBody
    ? fc.oneof(
      { weight: 5, arbitrary: fromSchema(op.body, doc).map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 3, arbitrary: hostileBodyText },
      { weight: 1, arbitrary: fc.constant(undefined) },
    )
    : sometimes(hostileBodyText.filter((t) => t.length < 100_000), 8).map((b) => b ?? undefined);
  const methodArb = fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom('PATCH', 'OPTIONS', 'PUT', 'POST', 'DELETE', 'GET') });
  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, type: contentType, method: methodArb, idem: sometimes(fc.string({ maxLength: 40 }), 6) })
    .map(({ path, query, body, type, method, idem }) => {
      const headers: Record<string, string> = {};
      const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      if (hasBody && type !== undefined) headers['content-type'] = type;
      if (idem !== null && /^[\x20-\x7e]*$/.test(idem)) headers['idempotency-key'] = idem;
      return { method, url: query ? `${path}?${query}` : path, headers, ...(hasBody ? { body } : {}), op: `${op.method} ${op.path}` };
    });
}

/** A raw HTTP/1.1 request that may be malformed anywhere; framed so the server never waits for more bytes. */
export const rawRequest: fc.Arbitrary<string> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'BREW', 'G ET', '', 'get', 'CONNECT', 'TRACE'),
  target: fc.oneof(
    fc.constantFrom('/api/health', '/api/flowcharts', '/api/models', '*', 'http://evil/api/health', '/api/%', '', '/api/flowcharts/%00', '//api', '/api/../etc/passwd'),
    fc.tuple(fc.constantFrom('/api/', '/api/runs/', '/'), urlPiece).map(([a, b]) => a + b),
  ),
  version: fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1x', 'HTTP/0.9', '', 'http/1.1'),
  headers: fc.array(fc.tuple(
    fc.constantFrom('Host', 'Content-Type', 'X-Custom', 'Transfer-Encoding', 'Content-Length', 'Authorization', 'X-Request-ID', 'Bad Header', 'X\u0000', ''),
    fc.oneof(fc.constantFrom('x', 'application/json', 'chunked', 'gzip, chunked', '-1', 'abc', '\u0000', 'a\rb', 'é', ' ', 'Bearer', 'Bearer \u00ff'), fc.string({ maxLength: 10 })),
  ), { maxLength: 4 }),
  body: sometimes(fc.oneof(hostileBodyText.filter((t) => t.length < 10_000), fc.constant('5\r\nhello\r\n0\r\n\r\n'), fc.constant('zz\r\nxx\r\n')), 2),
  bigHeader: sometimes(fc.constantFrom(9_000, 20_000, 70_000), 8),
}).map(({ method, target, version, headers, body, bigHeader }) => {
  // No Content-Length or Transfer-Encoding from the generator reaches the wire unless it frames the body exactly, so a
  // request never leaves the server waiting for bytes that will not come.
  const lines = headers.filter(([k]) => !/^(content-length|transfer-encoding)$/i.test(k)).map(([k, v]) => `${k}: ${v}`);
  if (bigHeader !== null) lines.push(`X-Big: ${'b'.repeat(bigHeader)}`);
  const payload = body ?? '';
  if (payload) lines.push(`Content-Length: ${Buffer.byteLength(payload, 'latin1')}`);
  lines.push('Connection: close');
  return `${method} ${target} ${version}\r\n${lines.join('\r\n')}\r\n\r\n${payload}`;
});
