/**
 * The end-to-end special-node flowchart (issue 8 "done when"): memory → plan → milestone → rag → llm_guided decision
 * → task → terminating milestone, on the scripted model `triage-bot`. Shared by the engine-level test and the HTTP
 * test of the server.
 */
import type { FlowchartDocument } from '@llmctl/contracts';

/** The RAG collection the flowchart reads, and its one document. */
export const HANDBOOK = {
  collection: 'support-handbook',
  document: {
    name: 'refunds.md',
    media_type: 'text/markdown',
    text: '# Refunds\n\nRefunds for damaged parcels are paid within 14 days.\n\n# Shipping\n\nParcels ship on weekdays from the central depot.',
  },
};

/** Scripted responses of `triage-bot`: the decision picks `answer`, the task answers from the retrieved passage. */
export const TRIAGE_BOT_RESPONSES = [
  { match: 'Decision node triage:', output: { route_key: 'answer' } },
  { match: 'Answer the customer', output: { reply: 'Refund within 14 days for {{input.customer}}', sources: '{{upstream.triage.results.0.document_id}}' } },
];

/** The flowchart. */
export const SPECIAL_FLOWCHART: FlowchartDocument = {
  schema_version: 1,
  name: 'special nodes end to end',
  nodes: [
    { id: 'start', type: 'start' },
    { id: 'remember', type: 'memory', config: { op: 'add', text: '{{input.customer}} reported: {{input.message}}', scope: 'flowchart' } },
    { id: 'recall', type: 'memory', config: { op: 'retrieve', query: '{{input.message}}', limit: 3 } },
    { id: 'plan', type: 'plan', config: { op: 'create_or_update', plan_key: 'ticket', items: ['Look up policy', 'Reply to customer'] } },
    { id: 'opened', type: 'milestone', config: { op: 'create_or_update', milestone_key: 'ticket-handled', title: 'Ticket of {{input.customer}} handled' } },
    { id: 'lookup', type: 'rag', config: { collection: HANDBOOK.collection, query: '{{input.message}}', top_k: 2 } },
    { id: 'triage', type: 'decision', config: { mode: 'llm_guided', model: 'triage-bot' } },
    {
      id: 'reply', type: 'task',
      config: {
        model: 'triage-bot', prompt: 'Answer the customer using: {{upstream.triage.results.0.text}}',
        output_schema: { type: 'object', required: ['reply'], properties: { reply: { type: 'string' }, sources: { type: 'string' } } },
      },
    },
    { id: 'tick', type: 'plan', config: { op: 'complete_item', plan_key: 'ticket', item_key: 'reply-to-customer' } },
    { id: 'closed', type: 'milestone', config: { op: 'complete', milestone_key: 'ticket-handled', terminate: 'on_complete' } },
    { id: 'escalate', type: 'end', config: { output: { escalated: true } } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'remember' },
    { id: 'e2', source: 'remember', target: 'recall' },
    { id: 'e3', source: 'recall', target: 'plan' },
    { id: 'e4', source: 'plan', target: 'opened' },
    { id: 'e5', source: 'opened', target: 'lookup' },
    { id: 'e6', source: 'lookup', target: 'triage' },
    { id: 'e7', source: 'triage', target: 'reply', route_key: 'answer' },
    { id: 'e8', source: 'triage', target: 'escalate', route_key: 'escalate' },
    { id: 'e9', source: 'reply', target: 'tick' },
    { id: 'e10', source: 'tick', target: 'closed' },
  ],
};

/** The run input. */
export const SPECIAL_INPUT = { customer: 'Ada', message: 'My parcel arrived damaged, can I get a refund?' };
