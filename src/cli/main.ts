import { Command, CommanderError } from 'commander';
import { errorJson } from './error-json.js';
import { errorReport } from './error-report.js';
import { escapeControls } from './render/escape.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { processIo, redacting, secretsFor, type Io } from './io.js';
import { VERSION } from './version.js';

type BuildCommand = (io: Io, setExit: (code: number) => void, program: () => Command) => Command;

interface CommandEntry {
  name: string;
  /** The line `raidsync --help` lists it with. */
  summary: string;
  /** The command's module, and all it imports (the engine, the state, zod), loads only when the command runs. */
  load(): Promise<BuildCommand>;
}

const COMMANDS: readonly CommandEntry[] = [
  { name: 'diff', summary: 'print the drift and the plan reconcile would run', load: async () => (await import('./commands/diff.js')).diffCommand },
  { name: 'push', summary: 'make JIRA match Impact for every drifted field', load: async () => (await import('./commands/push.js')).pushCommand },
  { name: 'pull', summary: 'make Impact match JIRA for the fields FireFighter accepts', load: async () => (await import('./commands/pull.js')).pullCommand },
  { name: 'reconcile', summary: 'sync both directions, field by field (the cron job)', load: async () => (await import('./commands/reconcile.js')).reconcileCommand },
  { name: 'apply', summary: 'run a plan written by diff --out, where each record is still as planned', load: async () => (await import('./commands/apply.js')).applyCommand },
  { name: 'show', summary: 'render a plan saved by diff --out, as diff printed it', load: async () => (await import('./commands/show.js')).showCommand },
  { name: 'status', summary: 'last runs, open conflicts, failed or blocked changes', load: async () => (await import('./commands/status.js')).statusCommand },
  { name: 'log', summary: 'every change raidsync applied, newest first', load: async () => (await import('./commands/log.js')).logCommand },
  { name: 'doctor', summary: 'check config, credentials, reachability and maps against live JIRA', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  { name: 'init', summary: 'write a commented starter config', load: async () => (await import('./commands/init.js')).initCommand },
  { name: 'demo', summary: 'run the whole story on the bundled sandbox', load: async () => (await import('./commands/demo.js')).demoCommand },
  { name: 'sandbox', summary: 'start the JIRA and FireFighter emulators and keep them running', load: async () => (await import('./commands/sandbox.js')).sandboxCommand },
  { name: 'state', summary: 'where the sync state lives: copy it from the SQLite file into PostgreSQL', load: async () => (await import('./commands/state.js')).stateCommand },
  {
    name: 'completion',
    summary: 'print a shell completion script (bash, zsh or fish)',
    load: async () => {
      const { completionCommand } = await import('./commands/completion.js');
      return (io, _setExit, program) => completionCommand(io, program);
    },
  },
];

/** The commands this invocation can reach: the one named (or asked `help` for); all for `completion`, which lists every flag. */
function commandsToLoad(argv: readonly string[]): Set<string> {
  const [first, second] = argv.filter((arg) => !arg.startsWith('-'));
  if (first === 'completion') return new Set(COMMANDS.map((entry) => entry.name));
  return new Set([first === 'help' ? second : first].filter((name): name is string => name !== undefined));
}

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
  $ raidsync reconcile            # the cron job: both directions, field by field
  $ raidsync demo                 # the whole story on the bundled sandbox
  $ raidsync sandbox              # the emulators on their own, to try raidsync by hand
  $ raidsync diff --out plan.json # save it; raidsync show plan.json, then raidsync apply plan.json

Exit codes: 0 ok, 1 diff --exit-code found drift, 2 usage or configuration error,
3 a service unreachable or refused the credentials, 4 some change failed, was blocked or conflicts,
5 another run holds the lock.`,
    );
  const wanted = commandsToLoad(argv);
  for (const entry of COMMANDS) {
    // The others stay names and summaries: enough for the command list and for "did you mean".
    const command = wanted.has(entry.name) ? (await entry.load())(io, setExit, () => program) : new Command(entry.name);
    program.addCommand(command.summary(entry.summary).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showSuggestionAfterError(true));
  }
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
