import { Command } from 'commander';
import { doctorExitCode } from '../../doctor/check.js';
import { redacting, type Io } from '../io.js';
import { addCommonOptions, type CommonOptions } from '../options.js';
import { escapeControls } from '../render/escape.js';

const EXAMPLES = `
Examples:
  $ raidsync doctor
  $ raidsync doctor --json | jq '.checks[] | select(.ok | not)'`;

export function doctorCommand(io: Io, setExit: (code: number) => void): Command {
  return addCommonOptions(
    new Command('doctor')
      .description(
        'Checks the config, each credential, that JIRA and FireFighter answer, that the maps fit live JIRA metadata, and the state file; prints ✓ or ✗ and, for each ✗, the fix. ' +
          'Changes nothing in JIRA or FireFighter (the signature check sends an update without items, which FireFighter ignores). Exits 0 when every check passes, 2 for the config or state file, 3 for a service unreachable or refusing the credentials, 4 when the maps do not fit JIRA.',
      ),
  )
    .addHelpText('after', EXAMPLES)
    .action(async (options: CommonOptions) => {
      // Loaded here, not at startup: the checks pull in jira.js, which every other command can do without.
      const { runDoctor } = await import('../../doctor/run-doctor.js');
      const report = await runDoctor({ file: options.config, env: io.env, dbPath: options.db, cwd: io.cwd });
      const out = redacting(io, report.secrets);
      const exitCode = doctorExitCode(report.checks);
      if (options.json) {
        out.stdout(`${JSON.stringify({ command: 'doctor', ok: exitCode === 0, exitCode, checks: report.checks })}\n`);
      } else {
        for (const check of report.checks) {
          out.stdout(escapeControls(`${check.warning ? '!' : check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}\n`));
          if ((!check.ok || check.warning) && check.fix) out.stdout(escapeControls(`    fix: ${check.fix}\n`));
        }
        const failed = report.checks.filter((check) => !check.ok).length;
        const warned = report.checks.filter((check) => check.warning).length;
        const warnings = warned === 0 ? '' : `, ${warned} with a warning (!)`;
        out.stdout(failed === 0 ? `\nAll ${report.checks.length} checks pass${warnings}.\n` : `\n${failed} of ${report.checks.length} checks failed${warnings}.\n`);
      }
      setExit(exitCode);
    });
}
