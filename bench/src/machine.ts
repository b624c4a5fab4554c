import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { REPO_ROOT } from './spawn-worker.ts';

/** The machine a report was produced on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  langgraph: string;
  gitCommit: string;
  /** 1-minute load average when the run started and when it ended (other work on the machine skews timings). */
  loadStart: number;
  loadEnd: number;
}

function versionOf(pkg: string): string {
  try {
    // Packages whose `exports` hide package.json: read it from node_modules.
    if (pkg === '@dbos-inc/dbos-sdk' || pkg.startsWith('@restatedev/')) return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
    const text = execFileSync(process.execPath, ['-p', `require('${pkg}/package.json').version`], { cwd: REPO_ROOT, encoding: 'utf8' });
    return text.trim();
  } catch {
    return 'unknown';
  }
}

/** Describes this machine (PostgreSQL facts come from the cluster). */
export function describeMachine(pg: { version: string; settings: Record<string, string> }): MachineInfo {
  const c = cpus();
  let gitCommit = 'unknown';
  try {
    gitCommit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown', cores: c.length, memoryGb: totalmem() / 2 ** 30, freeMemoryGb: freemem() / 2 ** 30,
    os: `${platform()} ${release()}`, node: process.version, postgres: pg.version, postgresSettings: pg.settings,
    langgraph: `@langchain/langgraph ${versionOf('@langchain/langgraph')}, @langchain/langgraph-checkpoint-postgres ${versionOf('@langchain/langgraph-checkpoint-postgres')}, @dbos-inc/dbos-sdk ${versionOf('@dbos-inc/dbos-sdk')}, @restatedev/restate-server ${versionOf('@restatedev/restate-server')} + restate-sdk ${versionOf('@restatedev/restate-sdk')}`,
    gitCommit, loadStart: loadavg()[0]!, loadEnd: Number.NaN,
  };
}

/** The current 1-minute load average. */
export function loadNow(): number {
  return loadavg()[0]!;
}
