import { context, trace, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Span } from '../runtime/trace.ts';

export { otlpEnabled } from './otel-enabled.ts';

/** Exports finished run traces (the same span tree as GET /api/runs/:id/trace) through OTLP/HTTP. */
export class RunTraceExporter {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'llmctl' }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 500 })],
    });
    this.tracer = this.provider.getTracer('llmctl-runtime');
  }

  /** Emits the span tree with its recorded timings. */
  export(root: Span): void {
    const emit = (s: Span, parent: ReturnType<typeof context.active>): void => {
      const start = s.started_at ? new Date(s.started_at) : new Date();
      const span = this.tracer.startSpan(s.name, {
        startTime: start,
        attributes: {
          'llmctl.kind': s.kind, 'llmctl.span_id': s.span_id, 'llmctl.status': s.status,
          ...Object.fromEntries(Object.entries(s.attributes).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [`llmctl.${k}`, typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean)])),
        },
      }, parent);
      if (s.error) span.setStatus({ code: SpanStatusCode.ERROR, message: JSON.stringify(s.error).slice(0, 500) });
      const ctx = trace.setSpan(parent, span);
      for (const c of s.children) emit(c, ctx);
      span.end(s.finished_at ? new Date(s.finished_at) : start);
    };
    emit(root, context.active());
  }

  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}
