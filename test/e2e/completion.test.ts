import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const cwd = tmpdir();
const run = (...args: string[]) => runCli(args, { env: {}, cwd });

/** The command names `raidsync --help` lists. */
async function listedCommands(...path: string[]): Promise<string[]> {
  const help = (await run(...path, '--help')).stdout;
  const section = (help.split(/^Commands:$/m)[1] ?? '').split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z]\S*)/gm)].map((match) => match[1] as string).filter((name) => name !== 'help');
}

/** What bash completes after `words`, with the script loaded as a user's shell would. */
function bashCompletes(script: string, words: string[]): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'raidsync-completion-')), 'raidsync.bash');
  writeFileSync(file, script);
  const line = `source '${file}'; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _raidsync; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return spawnSync('bash', ['-c', line], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
}

describe('raidsync completion', () => {
  it('bash: names every command and completes commands, subcommands and flags', async () => {
    const result = await run('completion', 'bash');
    expect(result.exitCode).toBe(0);
    const commands = await listedCommands();
    expect(commands).toEqual(expect.arrayContaining(['diff', 'status', 'sandbox', 'state', 'completion']));
    expect(bashCompletes(result.stdout, ['raidsync', ''])).toEqual(expect.arrayContaining(commands));
    expect(bashCompletes(result.stdout, ['raidsync', 'st'])).toEqual(['status', 'state']);
    expect(bashCompletes(result.stdout, ['raidsync', 'state', ''])).toEqual(expect.arrayContaining(await listedCommands('state')));
    expect(bashCompletes(result.stdout, ['raidsync', 'diff', '--ex'])).toEqual(['--exit-code']);
    expect(bashCompletes(result.stdout, ['raidsync', 'sandbox', '--p'])).toEqual(['--pairs']);
  });

  it.each([['zsh', '#compdef raidsync'], ['fish', 'complete -c raidsync']])('%s: a script naming every command', async (shell, marker) => {
    const { stdout } = await run('completion', shell);
    expect(stdout).toContain(marker);
    for (const command of await listedCommands()) expect(stdout).toContain(command);
  });

  it('an unknown shell is a usage error', async () => {
    const result = await run('completion', 'tcsh');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/bash, zsh, fish/);
  });
});
