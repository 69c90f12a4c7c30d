import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeUnknownKey, findConfigFile, loadConfig } from '../../src/config/load.js';
import { closestKey, editDistance } from '../../src/config/suggest.js';
import { configErrorMessage as message, ENV } from '../support/config-env.js';

const folder = () => mkdtempSync(join(tmpdir(), 'raidsync-strict-'));


describe('config strictness', () => {
  it('names an unknown key with the known key it most resembles', () => {
    const dir = folder();
    writeFileSync(join(dir, 'c.yaml'), 'sync:\n  enabeld: false\n  conflcit: skip\njria:\n  url: x\nwhatever: 1\n');
    const { unknownKeys } = loadConfig({ env: ENV, file: join(dir, 'c.yaml') });
    expect(unknownKeys.map(describeUnknownKey)).toEqual([
      'unknown config key sync.enabeld; did you mean sync.enabled?',
      'unknown config key sync.conflcit; did you mean sync.conflict?',
      'unknown config key jria; did you mean jira?',
      'unknown config key whatever',
    ]);
    expect(editDistance('enabeld', 'enabled')).toBe(1);
    expect(closestKey('zzz', ['jira', 'impact'])).toBeNull();
  });

  it('reports every missing or invalid setting at once', () => {
    const text = message(() =>
      loadConfig({ env: { ...ENV, RAIDSYNC_JIRA_URL: 'ftp://x', RAIDSYNC_JIRA_PROJECT: 'lower', RAIDSYNC_IMPACT_TOKEN: '' }, file: undefined, cwd: folder() }),
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^no config file found \(looked in .*raidsync\.config\.yaml, .*\/etc\/raidsync\/config\.yaml\)/);
    expect(text).toContain('jira.url must be an http(s) URL');
    expect(text).toContain('jira.project must be a JIRA project key');
    expect(text).toContain('impact.token');
    expect(lines.slice(1).every((line) => line.startsWith('  '))).toBe(true);
  });

  it('with a file, several problems come under a count; one stays one line', () => {
    const dir = folder();
    writeFileSync(join(dir, 'c.yaml'), 'sync:\n  conflict: never\n  loopWindowSeconds: -1\n');
    expect(message(() => loadConfig({ env: ENV, file: join(dir, 'c.yaml') })).split('\n')[0]).toBe('2 configuration problems:');
    writeFileSync(join(dir, 'c.yaml'), 'sync:\n  conflict: never\n');
    expect(message(() => loadConfig({ env: ENV, file: join(dir, 'c.yaml') }))).not.toContain('\n');
  });

  it('a read-only load needs no webhook secret; a writing one does', () => {
    const { RAIDSYNC_IMPACT_WEBHOOK_SECRET: _secret, ...env } = ENV;
    expect(loadConfig({ env, file: undefined, cwd: folder(), purpose: 'read' }).config.impact.webhookSecret).toBeUndefined();
    expect(message(() => loadConfig({ env, file: undefined, cwd: folder() }))).toContain('impact.webhookSecret is required to write to FireFighter');
  });

  it('discovery: --config, $RAIDSYNC_CONFIG, ./raidsync.config.yaml, $XDG_CONFIG_HOME/raidsync/config.yaml (default ~/.config), first found wins', () => {
    const cwd = folder();
    const home = folder();
    const xdg = folder();
    mkdirSync(join(home, '.config', 'raidsync'), { recursive: true });
    mkdirSync(join(xdg, 'raidsync'));
    const inHome = join(home, '.config', 'raidsync', 'config.yaml');
    const inXdg = join(xdg, 'raidsync', 'config.yaml');
    writeFileSync(inHome, 'jira: {}\n');
    expect(findConfigFile({ env: { HOME: home }, cwd }).file).toBe(inHome);
    writeFileSync(inXdg, 'jira: {}\n');
    expect(findConfigFile({ env: { HOME: home, XDG_CONFIG_HOME: xdg }, cwd }).file).toBe(inXdg);
    writeFileSync(join(cwd, 'raidsync.config.yaml'), 'jira: {}\n');
    expect(findConfigFile({ env: { HOME: home, XDG_CONFIG_HOME: xdg }, cwd }).file).toBe(join(cwd, 'raidsync.config.yaml'));
    expect(findConfigFile({ env: { HOME: home, RAIDSYNC_CONFIG: '/x.yaml' }, cwd }).file).toBe('/x.yaml');
    expect(findConfigFile({ env: { RAIDSYNC_CONFIG: '/x.yaml' }, file: '/y.yaml', cwd }).file).toBe('/y.yaml');
    // The file found is the one read.
    expect(loadConfig({ env: { ...ENV, HOME: home, XDG_CONFIG_HOME: xdg }, cwd: folder() }).file).toBe(inXdg);
  });
});
