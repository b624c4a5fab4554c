import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LlmctlError } from '@llmctl/contracts';
import { PgRagStore, RAG_COLLECTION_SORTS, SpecialStateRepository, newId, parseListParams } from '@llmctl/store';
import { ingestDocument, type RagCollection } from '@llmctl/tools';
import type { RouteInstaller } from '../app-context.ts';
import { ok } from '../envelope.ts';
import { queryOf, requireObjectBody } from './params.ts';
import { extractPdfText } from './pdf-text.ts';
import { storableText } from '../json-safety.ts';

type IdParams = { Params: { id: string } };

/** Largest RAG document upload (api.md: 20 MiB). */
export const RAG_UPLOAD_LIMIT = 20 * 1024 * 1024;

/** Media types a document may have: text and Markdown as they are, PDF through text extraction. */
export const RAG_MEDIA_TYPES = ['text/plain', 'text/markdown', 'text/x-markdown', 'application/pdf'] as const;

function invalid(path: string, message: string): LlmctlError {
  return new LlmctlError('validation_failed', message, { errors: [{ path, message }] });
}

function unsupported(mediaType: string): LlmctlError {
  return new LlmctlError('unsupported_media_type', `Documents of type ${mediaType || '(none)'} cannot be ingested; send ${RAG_MEDIA_TYPES.join(', ')}.`, {
    media_type: mediaType, supported: [...RAG_MEDIA_TYPES],
  });
}

function baseType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The text of a document: text as it is; PDF bytes through {@link extractPdfText} (`rag_document_unreadable` when none). */
function documentText(mediaType: string, body: string | Buffer): string {
  if (mediaType === 'application/pdf') {
    const text = extractPdfText(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    if (text === null) {
      throw new LlmctlError('rag_document_unreadable', 'No text could be extracted from the PDF (encrypted, image-only, or an encoding this extractor does not read).', { media_type: mediaType });
    }
    return text;
  }
  return typeof body === 'string' ? body : body.toString('utf8');
}

interface DocumentUpload {
  name: string;
  media_type: string;
  text: string;
  chunking?: { max_chars?: number; overlap_chars?: number };
}

/**
 * A document upload: a JSON body `{ name, media_type?, text? | content_base64?, chunking? }` (PDF as base64), or a
 * raw body of type text/plain, text/markdown or application/pdf with `?name=`.
 */
function uploadOf(req: FastifyRequest): DocumentUpload {
  const type = baseType(req.headers['content-type']);
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) {
    const b = requireObjectBody(req.body);
    if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 500) throw invalid('name', 'name must be a non-empty string of at most 500 characters');
    const media = b.media_type === undefined ? 'text/plain' : b.media_type;
    if (typeof media !== 'string') throw invalid('media_type', 'media_type must be a string');
    const mediaType = media.toLowerCase();
    if (!(RAG_MEDIA_TYPES as readonly string[]).includes(mediaType)) throw unsupported(mediaType);
    let body: string | Buffer;
    if (typeof b.text === 'string') body = b.text;
    else if (typeof b.content_base64 === 'string') body = Buffer.from(b.content_base64, 'base64');
    else throw invalid('text', 'give the document as text (or content_base64)');
    const chunking = b.chunking === undefined ? undefined : requireObjectBody(b.chunking);
    for (const k of ['max_chars', 'overlap_chars'] as const) {
      const v = chunking?.[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 100_000)) throw invalid(`chunking.${k}`, `chunking.${k} must be an integer from 0 to 100000`);
    }
    return { name: b.name.trim(), media_type: mediaType, text: storableText(documentText(mediaType, body)), ...(chunking ? { chunking: chunking as DocumentUpload['chunking'] } : {}) };
  }
  if (!(RAG_MEDIA_TYPES as readonly string[]).includes(type)) throw unsupported(type);
  const name = queryOf(req.query).name;
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || name.length > 500)) throw invalid('name', 'name must be a non-empty string of at most 500 characters');
  return { name: typeof name === 'string' ? name.trim() : 'document', media_type: type, text: storableText(documentText(type, req.body as string | Buffer)) };
}

function topK(query: Record<string, unknown>): number {
  const v = query.top_k;
  if (v === undefined || v === '') return 5;
  if (typeof v !== 'string' || !/^\d{1,2}$/.test(v) || Number(v) < 1 || Number(v) > 50) throw invalid('top_k', 'top_k must be an integer from 1 to 50');
  return Number(v);
}

/**
 * RAG (api.md): `POST /api/rag/collections` `{ name, description? }`, `GET /api/rag/collections` (paged),
 * `GET /api/rag/collections/:id` (with its documents), `POST /api/rag/collections/:id/documents` (text, Markdown, PDF;
 * up to 20 MiB), `GET /api/rag/collections/:id/search?q=&top_k=`. `:id` is a collection id or name.
 */
export const ragRoutes: RouteInstaller = async (app, ctx) => {
  const store = new PgRagStore(ctx.db.pool);
  const repo = new SpecialStateRepository(ctx.db.pool);
  const collection = async (idOrName: string): Promise<RagCollection> => {
    const c = idOrName.length <= 200 ? await store.findCollection(idOrName) : null;
    if (!c) throw new LlmctlError('not_found', `No RAG collection ${idOrName.slice(0, 140)}.`, { id: idOrName.slice(0, 140) });
    return c;
  };

  app.post('/api/rag/collections', async (req, reply) => {
    const b = requireObjectBody(req.body);
    // Types and lengths are checked by the route's body schema; a blank name passes it, so it is refused here.
    const name = (b.name as string).trim();
    if (name === '') throw invalid('name', 'name must be a non-empty string of at most 200 characters');
    const c = await store.createCollection({ id: newId('rag'), name, description: (b.description as string | null | undefined) ?? null });
    return ok(reply, c, undefined, 201);
  });

  app.get('/api/rag/collections', async (req, reply) => {
    const params = parseListParams(queryOf(req.query), { sorts: RAG_COLLECTION_SORTS, defaultSort: 'name', defaultOrder: { '*': 'desc', name: 'asc' } });
    const list = await repo.listRagCollections(params);
    return ok(reply, list.items, { ...list.page });
  });

  app.get<IdParams>('/api/rag/collections/:id', async (req, reply) => {
    const c = await collection(req.params.id);
    return ok(reply, { ...c, documents: await repo.listRagDocuments(c.id) });
  });

  app.get<IdParams>('/api/rag/collections/:id/search', async (req, reply) => {
    const c = await collection(req.params.id);
    const q = queryOf(req.query);
    if (typeof q.q !== 'string' || q.q.trim() === '' || q.q.length > 10_000) throw invalid('q', 'q must be a non-empty search text of at most 10000 characters');
    const results = await store.search({ collection_id: c.id, query: q.q, top_k: topK(q) });
    return ok(reply, { collection: c.name, query: q.q, results });
  });

  // Document uploads take raw text, Markdown and PDF bodies too; the parsers stay inside this scope.
  await app.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser(['text/markdown', 'text/x-markdown'], { parseAs: 'string', bodyLimit: RAG_UPLOAD_LIMIT }, (_req, body, done) => done(null, body));
    scope.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: RAG_UPLOAD_LIMIT }, (_req, body, done) => done(null, body));
    // Any other type reaches the handler, which answers 415 naming the supported types.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: RAG_UPLOAD_LIMIT }, (_req, body, done) => done(null, body));
    scope.post<IdParams>('/api/rag/collections/:id/documents', { bodyLimit: RAG_UPLOAD_LIMIT }, async (req, reply) => {
      const c = await collection(req.params.id);
      const upload = uploadOf(req);
      if (upload.text.trim() === '') throw invalid('text', 'the document has no text');
      const result = await ingestDocument(store, {
        collection: c.id, name: upload.name, media_type: upload.media_type, text: upload.text, document_id: newId('doc'),
        ...(upload.chunking ? { chunking: upload.chunking } : {}),
      });
      return ok(reply, { ...result, collection: c.name }, undefined, 201);
    });
  });
};
