import { Argument, Command, type Option } from 'commander';
import type { Io } from '../io.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

/** A command's name, subcommands and flags, read from commander's tree: what every completion script is made of. */
interface Node {
  path: string[];
  subcommands: string[];
  flags: string[];
}

function walk(command: Command, path: string[] = []): Node[] {
  const visible = command.commands.filter((sub) => !(sub as Command & { _hidden?: boolean })._hidden);
  const flags = command.options.flatMap((option: Option) => [option.short, option.long].filter((flag): flag is string => flag !== undefined));
  const here: Node = { path, subcommands: visible.map((sub) => sub.name()), flags: [...flags, '--help'] };
  return [here, ...visible.flatMap((sub) => walk(sub, [...path, sub.name()]))];
}

export function completionCommand(io: Io, program: () => Command): Command {
  return new Command('completion')
    .description("Prints a completion script for raidsync's commands and flags, built from the command tree itself. Load it from your shell's startup file.")
    .addArgument(new Argument('<shell>', 'the shell to complete for').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ echo 'source <(raidsync completion bash)' >> ~/.bashrc
  $ raidsync completion zsh > "\${fpath[1]}/_raidsync"
  $ raidsync completion fish > ~/.config/fish/completions/raidsync.fish`,
    )
    .action((shell: Shell) => {
      const nodes = walk(program());
      io.stdout(shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes));
    });
}

const words = (list: readonly string[]) => list.join(' ');

function bash(nodes: readonly Node[]): string {
  const cases = nodes.map((node) => `    '${node.path.join(' ')}') words='${words([...node.subcommands, ...node.flags])}' ;;`).join('\n');
  return `# raidsync completion for bash
_raidsync() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmdpath='' word
  for word in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$word" in -*) ;; *) case " $(_raidsync_words "\${cmdpath# }") " in *" $word "*) cmdpath="$cmdpath $word" ;; esac ;; esac
  done
  COMPREPLY=($(compgen -W "$(_raidsync_words "\${cmdpath# }")" -- "$cur"))
}
_raidsync_words() {
  local words=''
  case "$1" in
${cases}
  esac
  echo "$words"
}
complete -F _raidsync raidsync
`;
}

function zsh(nodes: readonly Node[]): string {
  const cases = nodes.map((node) => `    '${node.path.join(' ')}') candidates=(${words([...node.subcommands, ...node.flags])}) ;;`).join('\n');
  return `#compdef raidsync
# raidsync completion for zsh
_raidsync() {
  local cmdpath='' word
  local -a candidates
  for word in \${words[2,CURRENT-1]}; do
    [[ $word == -* ]] || cmdpath="\${cmdpath:+$cmdpath }$word"
  done
  case "$cmdpath" in
${cases}
  esac
  compadd -- $candidates
}
compdef _raidsync raidsync
`;
}

function fish(nodes: readonly Node[]): string {
  const lines = ['# raidsync completion for fish', 'complete -c raidsync -f'];
  for (const node of nodes) {
    const condition = node.path.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${node.path.at(-1)}`;
    for (const sub of node.subcommands) lines.push(`complete -c raidsync -n '${condition}' -a ${sub}`);
    for (const flag of node.flags) {
      const spec = flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`;
      lines.push(`complete -c raidsync -n '${condition}' ${spec}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
