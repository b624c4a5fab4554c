/**
 * The documented built-in prompts of `llm_guided` special nodes. Each starts with `<Type> node <node id>:` (like the
 * decision prompt's `Decision node <id>:`), so `scripted` responses can match a node by a substring such as
 * `"Memory node remember"`. The model answers with one JSON object, validated (with repairs) against the schema
 * next to each prompt.
 *
 * | node | first line | answer |
 * |---|---|---|
 * | memory `add` | `Memory node <id>: write one memory to store (scope <scope>).` | `{"text": "..."}` |
 * | memory `retrieve` | `Memory node <id>: write a search query for the memories that help with the input (scope <scope>).` | `{"query": "..."}` |
 * | plan `create_or_update` | `Plan node <id>: create or update the items of plan "<plan_key>".` | `{"items": [{"title", "key"?, "status"?}]}` |
 * | plan `complete_item` | `Plan node <id>: choose the item of plan "<plan_key>" that the input completes.` | `{"item_key": "..."}` |
 * | milestone | `Milestone node <id>: decide whether milestone "<milestone_key>" is reached.` | `{"completed": true\|false, "title"?: "..."}` |
 * | rag | `RAG node <id>: write a search query for collection "<collection>" that finds passages to help with the input.` | `{"query": "..."}` |
 *
 * Further lines: `Instructions: <rendered template>` when the node has one (memory `text` / `query`, rag `query`,
 * plan and milestone `prompt`), the current plan items when known, the expected answer, then `Input: <triggering output as JSON>`.
 */

/** A built-in prompt and the JSON Schema its answer must satisfy. */
export interface GuidedPrompt {
  prompt: string;
  schema: Record<string, unknown>;
}

function lines(parts: (string | false | undefined | null)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n');
}

function inputLine(input: unknown): string {
  return `Input: ${JSON.stringify(input ?? null)}`;
}

const nonEmpty = { type: 'string', minLength: 1 } as const;

/** `memory` in `llm_guided` mode: the model writes the memory text (`add`) or the search query (`retrieve`). */
export function memoryPrompt(nodeId: string, op: 'add' | 'retrieve', scope: string, input: unknown, instructions?: string): GuidedPrompt {
  if (op === 'add') {
    return {
      prompt: lines([
        `Memory node ${nodeId}: write one memory to store (scope ${scope}).`,
        'A memory is a short, self-contained statement worth remembering in later runs.',
        instructions && `Instructions: ${instructions}`,
        'Answer with JSON {"text": "..."} only.',
        inputLine(input),
      ]),
      schema: { type: 'object', required: ['text'], properties: { text: nonEmpty } },
    };
  }
  return {
    prompt: lines([
      `Memory node ${nodeId}: write a search query for the memories that help with the input (scope ${scope}).`,
      instructions && `Instructions: ${instructions}`,
      'Answer with JSON {"query": "..."} only (a few keywords).',
      inputLine(input),
    ]),
    schema: { type: 'object', required: ['query'], properties: { query: nonEmpty } },
  };
}

/** A plan item as shown to the model. */
export interface PromptPlanItem {
  key: string;
  title: string;
  status: string;
}

/** `plan` `create_or_update` in `llm_guided` mode: the model writes the items (upserted by key or title). */
export function planItemsPrompt(nodeId: string, planKey: string, current: PromptPlanItem[] | null, input: unknown, instructions?: string): GuidedPrompt {
  return {
    prompt: lines([
      `Plan node ${nodeId}: create or update the items of plan "${planKey}".`,
      current && current.length > 0 ? `Current items: ${JSON.stringify(current)}` : 'The plan has no items yet.',
      'Items with the key (or title) of a current item update it; others are added. Status: pending, in_progress or completed.',
      instructions && `Instructions: ${instructions}`,
      'Answer with JSON {"items": [{"title": "...", "key": "...", "status": "pending"}]} only ("key" and "status" are optional).',
      inputLine(input),
    ]),
    schema: {
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['title'],
            properties: { title: nonEmpty, key: nonEmpty, status: { enum: ['pending', 'in_progress', 'completed'] } },
          },
        },
      },
    },
  };
}

/** `plan` `complete_item` in `llm_guided` mode: the model names the item the input completes. */
export function planCompletePrompt(nodeId: string, planKey: string, current: PromptPlanItem[] | null, input: unknown, instructions?: string): GuidedPrompt {
  const keys = (current ?? []).map((i) => i.key);
  return {
    prompt: lines([
      `Plan node ${nodeId}: choose the item of plan "${planKey}" that the input completes.`,
      current && current.length > 0 ? `Items: ${JSON.stringify(current)}` : undefined,
      instructions && `Instructions: ${instructions}`,
      'Answer with JSON {"item_key": "..."} only.',
      inputLine(input),
    ]),
    schema: { type: 'object', required: ['item_key'], properties: { item_key: keys.length > 0 ? { enum: keys } : nonEmpty } },
  };
}

/** `milestone` in `llm_guided` mode: the model decides whether the milestone is reached (and may refine its title). */
export function milestonePrompt(nodeId: string, milestoneKey: string, title: string | undefined, input: unknown, instructions?: string): GuidedPrompt {
  return {
    prompt: lines([
      `Milestone node ${nodeId}: decide whether milestone "${milestoneKey}" is reached.`,
      title && `Title: ${title}`,
      instructions && `Instructions: ${instructions}`,
      'Answer with JSON {"completed": true, "title": "..."} or {"completed": false} only ("title" is optional).',
      inputLine(input),
    ]),
    schema: { type: 'object', required: ['completed'], properties: { completed: { type: 'boolean' }, title: nonEmpty } },
  };
}

/** `rag` in `llm_guided` mode (a rag node naming a model): the model writes the search query. */
export function ragPrompt(nodeId: string, collection: string, input: unknown, instructions?: string): GuidedPrompt {
  return {
    prompt: lines([
      `RAG node ${nodeId}: write a search query for collection "${collection}" that finds passages to help with the input.`,
      instructions && `Instructions: ${instructions}`,
      'Answer with JSON {"query": "..."} only (a few keywords).',
      inputLine(input),
    ]),
    schema: { type: 'object', required: ['query'], properties: { query: nonEmpty } },
  };
}
