import type pg from 'pg';
import { FlowchartRepository } from './flowchart-repository.ts';
import { ModelRepository } from './model-repository.ts';
import { SettingsRepository } from './settings-repository.ts';

/** Every repository of the store over one pool. */
export interface Repositories {
  flowcharts: FlowchartRepository;
  models: ModelRepository;
  settings: SettingsRepository;
}

/** Builds the repositories over `pool`. */
export function createRepositories(pool: pg.Pool): Repositories {
  return { flowcharts: new FlowchartRepository(pool), models: new ModelRepository(pool), settings: new SettingsRepository(pool) };
}
