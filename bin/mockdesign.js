#!/usr/bin/env node
// Runs the TypeScript entry point directly (tsx), so the bin works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
