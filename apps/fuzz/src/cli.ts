#!/usr/bin/env node
// The `pnpm fuzz` executable (bin `tensorgrad-fuzz`): nothing but the call of fuzzMain (main.ts).
// process.exit rather than exitCode: a case reported as a hang may still hold timers open.
import { fuzzMain } from './main.js';

process.exit(await fuzzMain(process.argv.slice(2)));
