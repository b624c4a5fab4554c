/** The set of tools a runtime can invoke, by name. */
import type { Tool } from './define-tool.ts';
import type { JsonSchema } from './json-schema.ts';

/** What a model is told about a tool (the providers' `ToolSpec`). */
export interface ToolSpecification {
  name: string;
  description: string;
  input_schema: JsonSchema;
}

/** A name → tool map. Registering a name twice throws. */
export class ToolRegistry {
  readonly #tools = new Map<string, Tool<any, any>>();

  constructor(tools: Iterable<Tool<any, any>> = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Adds a tool; throws when the name is taken. Returns the registry for chaining. */
  register(tool: Tool<any, any>): this {
    if (this.#tools.has(tool.name)) throw new Error(`Tool "${tool.name}" is already registered`);
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** The tool called `name`, or undefined. */
  get(name: string): Tool<unknown, unknown> | undefined {
    return this.#tools.get(name);
  }

  /** True when a tool called `name` is registered. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every registered tool, in registration order. */
  list(): Tool<unknown, unknown>[] {
    return [...this.#tools.values()];
  }

  /** Model-facing specs of the named tools (all when `names` is omitted); unknown names are skipped. */
  specs(names?: readonly string[]): ToolSpecification[] {
    const tools = names ? names.flatMap((n) => this.#tools.get(n) ?? []) : this.list();
    return tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.input_schema }));
  }
}
