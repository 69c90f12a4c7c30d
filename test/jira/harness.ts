import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { startJiraEmulator, type JiraEmulator, type JiraEmulatorOptions, type JiraSeed } from '../../src/sandbox/jira/server.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/jira.json', import.meta.url));

export const BOT = {
  email: 'raidsync-bot@acme.test',
  apiToken: 'sandbox-jira-token',
  pat: 'sandbox-jira-pat',
  name: 'raidsync-bot',
  accountId: '5b10ac8d82e05b22cc7d4eb0',
} as const;

/** A fresh copy of fixtures/jira.json, safe to modify per test. */
export function fixtureSeed(): JiraSeed {
  return JSON.parse(readFileSync(FIXTURE, 'utf8')) as JiraSeed;
}

export function startFixtureEmulator(options: Partial<JiraEmulatorOptions> & Pick<JiraEmulatorOptions, 'mode'>): Promise<JiraEmulator> {
  return startJiraEmulator({ seed: fixtureSeed(), ...options });
}

/** raidsync's client logged in as the bot, the way each deployment expects. */
export function botClient(emulator: JiraEmulator, deployment: 'cloud' | 'datacenter', overrides: Partial<JiraClientOptions> = {}): JiraClient {
  return new JiraClient({
    url: emulator.url,
    deployment,
    auth: deployment === 'cloud' ? { email: BOT.email, apiToken: BOT.apiToken } : { pat: BOT.pat },
    priorityField: 'priority',
    ...overrides,
  });
}

export function basicAuth(login: string, secret: string): string {
  return `Basic ${Buffer.from(`${login}:${secret}`).toString('base64')}`;
}

/** Raw HTTP against the emulator, for behaviour raidsync's client does not exercise. */
export async function call(
  emulator: JiraEmulator,
  method: string,
  path: string,
  options: { body?: unknown; authorization?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const authorization = options.authorization === undefined ? basicAuth(BOT.email, BOT.apiToken) : options.authorization;
  if (authorization !== null) headers['Authorization'] = authorization;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}
