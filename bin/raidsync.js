#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

// `raidsync diff | head` closes the pipe early: stop quietly, as other Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
