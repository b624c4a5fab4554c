#!/usr/bin/env node
// The llmctl command: registers tsx (TypeScript runs directly, no build step), then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
process.exit(code);
