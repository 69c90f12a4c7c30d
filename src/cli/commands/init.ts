import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { starterConfig } from '../../config/starter.js';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { UsageError } from '../exit-codes.js';
import type { Io } from '../io.js';

interface InitOptions {
  config?: string;
  force?: boolean;
  json?: boolean;
}

export function initCommand(io: Io): Command {
  return new Command('init')
    .description('Writes raidsync.config.yaml with every key explained; secrets are left to environment variables.')
    .option('-c, --config <file>', 'where to write it', DEFAULT_CONFIG_FILE)
    .option('--force', 'overwrite an existing file')
    .option('--json', 'print one JSON object on stdout')
    .addHelpText('after', '\nExamples:\n  $ raidsync init\n  $ raidsync init --config /etc/raidsync/config.yaml --force')
    .action((options: InitOptions) => {
      const file = options.config ?? DEFAULT_CONFIG_FILE;
      const path = resolve(io.cwd, file);
      if (existsSync(path) && !options.force) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
      writeFileSync(path, starterConfig(), { mode: 0o600 });
      if (options.json) io.stdout(`${JSON.stringify({ command: 'init', file: path })}\n`);
      else
        io.stdout(
          `wrote ${file}\nnext: set RAIDSYNC_JIRA_API_TOKEN (or RAIDSYNC_JIRA_PAT), RAIDSYNC_IMPACT_TOKEN and RAIDSYNC_IMPACT_WEBHOOK_SECRET, then run \`raidsync doctor\`\n`,
        );
    });
}
