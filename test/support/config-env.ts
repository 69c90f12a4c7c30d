import { expect } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';

/** A complete configuration in RAIDSYNC_* variables, pointing at loopback; tests override single entries. */
export const ENV = {
  RAIDSYNC_JIRA_URL: 'http://127.0.0.1:8080',
  RAIDSYNC_JIRA_EMAIL: 'bot@acme.test',
  RAIDSYNC_JIRA_API_TOKEN: 'jira-token-123',
  RAIDSYNC_JIRA_PROJECT: 'INC',
  RAIDSYNC_IMPACT_URL: 'http://127.0.0.1:8081',
  RAIDSYNC_IMPACT_TOKEN: 'impact-token-456',
  RAIDSYNC_IMPACT_WEBHOOK_SECRET: 'hook-secret-789',
};

/** The message of the ConfigError `run` throws; fails the test when it throws none or another error. */
export function configErrorMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
