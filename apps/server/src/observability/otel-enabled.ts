/**
 * True when the standard OTEL_* variables ask for OTLP trace export (off by default). Kept apart from otel-export.ts so
 * that the OpenTelemetry SDK (~14 MB resident) is loaded only when export is on.
 */
export function otlpEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return env.OTEL_TRACES_EXPORTER === 'otlp' || !!env.OTEL_EXPORTER_OTLP_ENDPOINT || !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
}
