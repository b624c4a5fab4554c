/**
 * @llmctl/migrate — imports legacy llmctl flowcharts (migration.md): input forms, mapping to flowchart-v1, condition
 * translation, the compatibility gate with its routing simulation, and the legacy sources (HTTP API, database).
 */
export * from './types.ts';
export { canonicalJson, canonicalHash } from './canonical.ts';
export { iterateInput, checkInput, checkGraph, itemOf, parseExportText, type InputItem } from './parse-input.ts';
export { streamExportFile, streamExportValues, type ExportValue } from './stream-export.ts';
export { mapFlowchart, type DecisionPlan, type MappingResult } from './map-flowchart.ts';
export { translateCondition, type Translation, type TranslateOptions } from './translate-condition.ts';
export { translateRouteKey } from './translate-route-key.ts';
export { evaluateLegacyCondition, legacyDecisionRouting, legacyDecisionContext, legacyMatchedConnectors, type LegacyDecisionSpec } from './legacy-decision.ts';
export { pyStringify, pyJsonDumps, pyFloatRepr, extractPathValue, coerceBool } from './legacy-python.ts';
export { simulateRouting, simulationInputs, RUN_FAILED } from './simulate.ts';
export { analyzeLegacyFlowchart, summarizeBatch } from './gate.ts';
export { readLegacyDatabase } from './source-database.ts';
export { readLegacyHttp } from './source-http.ts';
