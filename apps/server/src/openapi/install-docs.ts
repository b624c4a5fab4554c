import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { COMPONENTS } from './components.ts';
import { requestValidatorCompiler } from './request-validator.ts';
import { responseSerializerCompiler } from './response-serializer.ts';
import { ROUTE_SCHEMAS } from './route-schemas.ts';

/** Where the interactive reference is served. */
export const DOCS_PREFIX = '/api/docs';

declare module 'fastify' {
  interface FastifyInstance {
    /** `METHOD path` of every API route added without a documented schema (should stay empty). */
    undocumentedRoutes: string[];
    /** Every route as added (`METHOD path` and the schema it validates and serialises with), for tests and tools. */
    routeTable: { method: string; url: string; schema: Record<string, unknown> | undefined }[];
  }
}

function isApiRoute(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url === '/metrics';
}

const DESCRIPTION = [
  'The llmctl Studio API (shared/spec/api.md). Every response carries X-Request-ID and X-Correlation-ID; successes are',
  '`{ ok: true, data, page?, request_id, correlation_id }`, failures the error envelope with a matching status.',
  'Mutations accept an `Idempotency-Key` header. When the server has tokens configured, every route but',
  '`GET /api/health` needs `Authorization: Bearer <token>` (401 unauthorized), and callers are rate limited (429',
  'rate_limited with Retry-After). Realtime: Socket.IO on path `/api/socket.io`, namespace `/rt` (see api.md "Realtime").',
].join(' ');

/**
 * Installs the OpenAPI 3.1 description (dynamic, from the route schemas) at `GET /api/openapi.json` and the
 * interactive reference at `/api/docs`. Call before the routes are added: it sets the app's validator compiler
 * (query, path parameters and bodies are validated; see request-validator.ts) and serializer compiler (responses are
 * serialised by their schemas, opened so nothing is dropped; see response-serializer.ts), registers the shared component schemas and
 * attaches the documented schema of each known route as it is added (route-schemas.ts). Routes outside `/api` (the
 * studio) are hidden from the document.
 */
export async function installApiDocs(app: FastifyInstance, version: string): Promise<void> {
  app.setValidatorCompiler(requestValidatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(COMPONENTS, (msg) => app.log.warn(msg)));
  for (const c of COMPONENTS) app.addSchema(c);
  app.decorate('undocumentedRoutes', [] as string[]);
  app.decorate('routeTable', [] as FastifyInstance['routeTable']);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const documented = methods.map((m) => ROUTE_SCHEMAS[`${m} ${route.url}`]).find((s) => s !== undefined);
    if (documented && !route.schema) route.schema = structuredClone(documented);
    for (const method of methods) app.routeTable.push({ method, url: route.url, schema: route.schema as Record<string, unknown> | undefined });
    if (!isApiRoute(route.url)) {
      route.schema = { ...route.schema, hide: true };
      return;
    }
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    if (!documented && !hidden && !methods.every((m) => m === 'HEAD')) app.undocumentedRoutes.push(`${methods.join(',')} ${route.url}`);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'llmctl Studio API', version, description: DESCRIPTION },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required when the server has API tokens configured.' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'system' }, { name: 'contracts' }, { name: 'flowcharts' }, { name: 'runs' }, { name: 'models' }, { name: 'settings' },
        { name: 'special state' }, { name: 'rag' },
      ],
    },
    refResolver: {
      buildLocalReference(json: { $id?: unknown }, _baseUri: unknown, _fragment: unknown, i: number) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`;
      },
    },
  });

  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));

  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { docExpansion: 'list', deepLinking: true },
    staticCSP: true,
  });
}
