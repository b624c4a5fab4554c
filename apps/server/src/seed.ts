import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { FlowchartDocument } from '@llmctl/contracts';
import type { ModelInput, Repositories } from '@llmctl/store';
import { validateDocument } from './flowchart-validation.ts';

/** Where the sample flowcharts (`*.flowchart.json`) and their offline model (`*.model.json`) live. */
export const SAMPLES_DIR = fileURLToPath(new URL('../samples/', import.meta.url));

/** The sample documents and models, read from {@link SAMPLES_DIR}. */
export async function readSamples(dir = SAMPLES_DIR): Promise<{ models: ModelInput[]; flowcharts: FlowchartDocument[] }> {
  const names = (await readdir(dir)).sort();
  const load = async (n: string) => JSON.parse(await readFile(join(dir, n), 'utf8')) as unknown;
  return {
    models: (await Promise.all(names.filter((n) => n.endsWith('.model.json')).map(load))) as ModelInput[],
    flowcharts: (await Promise.all(names.filter((n) => n.endsWith('.flowchart.json')).map(load))) as FlowchartDocument[],
  };
}

/**
 * Seeds the sample flowcharts and the scripted model they use (`demo-scripted`, offline) — only when the
 * flowcharts table is empty. Returns the names created.
 */
export async function seedSamples(repos: Repositories, logger?: Logger): Promise<{ models: string[]; flowcharts: string[] }> {
  const created = { models: [] as string[], flowcharts: [] as string[] };
  if ((await repos.flowcharts.count()) > 0) return created;
  const samples = await readSamples();
  for (const m of samples.models) {
    if (await repos.models.findByName(m.name)) continue;
    await repos.models.create(m);
    created.models.push(m.name);
  }
  for (const doc of samples.flowcharts) {
    const result = await validateDocument(repos, doc);
    if (!result.valid) {
      logger?.warn({ name: doc.name, errors: result.errors }, 'sample flowchart is invalid; not seeded');
      continue;
    }
    await repos.flowcharts.create({ document: doc, warnings: result.warnings });
    created.flowcharts.push(doc.name);
  }
  if (created.flowcharts.length > 0) logger?.info({ ...created }, 'seeded sample flowcharts');
  return created;
}
