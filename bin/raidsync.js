#!/usr/bin/env -S node --max-semi-space-size=2
// The shebang's flag: a young generation of 2 MB instead of 16, as fast here and some 60 MB less peak memory.

// `raidsync diff | head` closes the pipe early: stop quietly, as other Unix tools do.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
