/**
 * API shapes the studio reads, as `@llmctl/contracts` derives them from the server's schemas (one schema pipeline:
 * packages/contracts/src/schemas/api-*.ts). Nothing here mirrors a server type by hand.
 */
import type { ArtifactView, FlowchartVersionInfo, FlowchartView, ModelView, ProviderCredentialView } from '@llmctl/contracts';

export type { ModelTestResult } from '@llmctl/contracts';
export { PROVIDERS, PROVIDER_LABELS, type Provider } from '../core/model-form.ts';

/** A stored flowchart version. */
export type Flowchart = FlowchartView;
/** One entry of a flowchart's version history. */
export type FlowchartVersion = FlowchartVersionInfo;
/** A registered model. */
export type Model = ModelView;
/** Provider credentials as the API returns them (never the key itself). */
export type ProviderCredentials = ProviderCredentialView;
/** A persisted artifact. */
export type Artifact = ArtifactView;

/** Generic record of the memory / plans / milestones lists. */
export type StateRecord = Record<string, unknown> & { id?: string };
