import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configErrorMessage as message, ENV } from '../support/config-env.js';


function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'raidsync-config-')), 'raidsync.config.yaml');
  writeFileSync(path, text);
  return path;
}


describe('loadConfig', () => {
  it('needs no file when the environment gives everything, and applies the contract defaults', () => {
    const { config, secrets } = loadConfig({ env: ENV, file: undefined });
    expect(config.jira.deployment).toBe('cloud');
    expect(config.state.path).toBe('./.raidsync/state.sqlite');
    expect(config.maps.preset).toBe('seed');
    expect(config.sync).toMatchObject({ fields: ['title', 'description', 'priority', 'status', 'commander'], conflict: 'impact', loopWindowSeconds: 30 });
    // The Basic-auth header's form too: a server echoing the request would show it base64-encoded.
    const basic = Buffer.from(`${ENV.RAIDSYNC_JIRA_EMAIL}:jira-token-123`).toString('base64');
    expect(secrets.sort()).toEqual([basic, 'hook-secret-789', 'impact-token-456', 'jira-token-123'].sort());
  });

  it('refuses a YAML alias bomb as a configuration error naming the file, without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].entries()) {
      const previous = String.fromCharCode(97 + index);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const path = file(`${levels.join('\n')}\njira:\n  project: OPS\n`);
    expect(message(() => loadConfig({ env: ENV, file: path }))).toBe(`config file ${path} expands its YAML aliases more than 100 times (an alias bomb?)`);
  });

  it('still reads a config that reuses a block through an alias', () => {
    const path = file('defaults: &resolved { resolution: { name: Done } }\njira:\n  transitionFields:\n    Resolved: *resolved\n    Closed: *resolved\n');
    const { config } = loadConfig({ env: ENV, file: path });
    expect(config.jira.transitionFields).toEqual({ Resolved: { resolution: { name: 'Done' } }, Closed: { resolution: { name: 'Done' } } });
  });

  it('lets the environment override the file', () => {
    const path = file('jira:\n  project: OPS\nsync:\n  conflict: skip\n');
    const { config } = loadConfig({ env: { ...ENV, RAIDSYNC_JIRA_PROJECT: 'INC' }, file: path });
    expect(config.jira.project).toBe('INC');
    expect(config.sync.conflict).toBe('skip');
  });

  it('names a missing key and where to set it', () => {
    const { RAIDSYNC_IMPACT_TOKEN: _, ...env } = ENV;
    // No config file: said first, then the problem.
    expect(message(() => loadConfig({ env, file: undefined })).split('\n')).toEqual([
      expect.stringMatching(/^no config file found \(looked in /),
      '  invalid configuration: impact.token is required; set it in the config file or RAIDSYNC_IMPACT_TOKEN',
    ]);
  });

  it('names an invalid value and its source', () => {
    expect(message(() => loadConfig({ env: { ...ENV, RAIDSYNC_JIRA_URL: 'not a url' }, file: undefined })).split('\n')[1]).toMatch(
      /^ {2}invalid configuration: jira\.url .* \(from RAIDSYNC_JIRA_URL\)$/,
    );
    expect(message(() => loadConfig({ env: ENV, file: file('sync:\n  conflict: newest\n') }))).toMatch(/^invalid configuration: sync\.conflict .*\(in .*raidsync\.config\.yaml\)$/);
  });

  it('rejects a map naming an unknown Impact status or priority', () => {
    expect(message(() => loadConfig({ env: ENV, file: file('maps:\n  jiraToImpactStatus:\n    Code Review: Fixing\n') }))).toContain('maps.jiraToImpactStatus.Code Review');
    expect(message(() => loadConfig({ env: ENV, file: file('maps:\n  jiraToImpactPriority:\n    Critical: 0\n') }))).toContain('maps.jiraToImpactPriority.Critical');
  });

  it('requires the credential of the deployment', () => {
    const { RAIDSYNC_JIRA_API_TOKEN: _, ...env } = ENV;
    expect(message(() => loadConfig({ env, file: undefined }))).toContain('missing credential: jira.apiToken');
    expect(message(() => loadConfig({ env: { ...env, RAIDSYNC_JIRA_DEPLOYMENT: 'datacenter' }, file: undefined }))).toContain('missing credential: jira.pat');
  });

  it('refuses plain http to a remote host unless allowed', () => {
    expect(message(() => loadConfig({ env: { ...ENV, RAIDSYNC_JIRA_URL: 'http://jira.acme.example' }, file: undefined }))).toContain(
      'jira.url uses plain http:// to jira.acme.example',
    );
    const path = file('jira:\n  allowInsecureHttp: true\n');
    expect(loadConfig({ env: { ...ENV, RAIDSYNC_JIRA_URL: 'http://jira.acme.example' }, file: path }).config.jira.url).toBe('http://jira.acme.example');
  });

  it('reports bad YAML with its line, and warns of unknown keys', () => {
    expect(message(() => loadConfig({ env: ENV, file: file('jira:\n  url: [unclosed\n') }))).toMatch(/is not valid YAML at line \d+/);
    expect(loadConfig({ env: ENV, file: file('jira:\n  projet: INC\nsink: {}\n') }).unknownKeys.map((unknown) => unknown.key)).toEqual(['jira.projet', 'sink']);
  });

  it('says when the named config file does not exist', () => {
    expect(message(() => loadConfig({ env: ENV, file: '/nonexistent/raidsync.yaml' }))).toBe('config file /nonexistent/raidsync.yaml does not exist');
  });
});
