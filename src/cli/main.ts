import { Command, CommanderError } from 'commander';
import { applyCommand } from './commands/apply.js';
import { completionCommand } from './commands/completion.js';
import { demoCommand } from './commands/demo.js';
import { diffCommand } from './commands/diff.js';
import { doctorCommand } from './commands/doctor.js';
import { initCommand } from './commands/init.js';
import { logCommand } from './commands/log.js';
import { pullCommand } from './commands/pull.js';
import { pushCommand } from './commands/push.js';
import { reconcileCommand } from './commands/reconcile.js';
import { sandboxCommand } from './commands/sandbox.js';
import { showCommand } from './commands/show.js';
import { stateCommand } from './commands/state.js';
import { statusCommand } from './commands/status.js';
import { errorJson } from './error-json.js';
import { errorReport } from './error-report.js';
import { escapeControls } from './render/escape.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { processIo, redacting, secretsFor, type Io } from './io.js';
import { VERSION } from './version.js';

/** Each command sets the exit code it ends with; errors thrown out of a command map to the contract's codes. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number) => {
    exitCode = code;
  };
  let verbose = false;
  // Until commander has parsed the command line, what it says: an error in parsing is reported in JSON too.
  let json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length).includes('--json');
  let commandName = typedCommand(argv);
  const program = new Command('raidsync')
    .description('Keeps FireFighter incidents (Impact) and their JIRA tickets in agreement.')
    .version(VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText(
      'after',
      `
Examples:
  $ raidsync diff                 # what reconcile would do, written nowhere
  $ raidsync diff --out plan.json # save it; raidsync show plan.json, then raidsync apply plan.json
  $ raidsync reconcile            # the cron job: both directions, field by field
  $ raidsync demo                 # the whole story on the bundled sandbox
  $ raidsync sandbox              # the emulators on their own, to try raidsync by hand

Exit codes: 0 ok, 1 diff --exit-code found drift, 2 usage or configuration error,
3 a service unreachable or refused the credentials, 4 some change failed, was blocked or conflicts,
5 another run holds the lock.`,
    );
  for (const build of [diffCommand, pushCommand, pullCommand, reconcileCommand, applyCommand, showCommand, statusCommand, logCommand, doctorCommand, initCommand, demoCommand, sandboxCommand, stateCommand] as const) {
    program.addCommand(build(io, setExit).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showSuggestionAfterError(true));
  }
  program.addCommand(completionCommand(io, () => program).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }));
  program.hook('preAction', (_program, command) => {
    const opts = command.opts<{ verbose?: boolean; json?: boolean }>();
    verbose = opts.verbose === true;
    json = opts.json === true;
    commandName = fullName(command);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0; a bad flag or command with 1.
      if (error.exitCode === 0) return EXIT.ok;
      if (json) io.stdout(errorJson(commandName, error));
      return EXIT.usage;
    }
    const scrubbed = redacting(io, secretsFor(io));
    // The message may quote a service (a title, a server's detail): shown, never acted on by the terminal.
    scrubbed.stderr(escapeControls(errorReport(error, verbose)));
    if (json) scrubbed.stdout(errorJson(commandName, error));
    return exitCodeFor(error);
  }
}

/** `state migrate`, `diff`: the command as typed, without the program's name. */
function fullName(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ') || 'raidsync';
}

/** The command a command line names before commander has read it: its first words that are not options. */
function typedCommand(argv: readonly string[]): string {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  if (words[0] === undefined) return 'raidsync';
  return words[0] === 'state' && words[1] !== undefined ? `state ${words[1]}` : words[0];
}
