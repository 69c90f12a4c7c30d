import { errorCategory, errorMessage, MalformedResponseError, ServiceError } from '../net/errors.js';

/**
 * What `main` prints for an error that ended a command: one line, the problem and the fix;
 * with --verbose, the endpoint, category and cause chain below it. Callers scrub secrets.
 */
export function errorReport(error: unknown, verbose: boolean): string {
  const fix = fixFor(error);
  const line = `raidsync: ${errorMessage(error)}${fix ? `; ${fix}` : ''}\n`;
  return verbose ? line + details(error) : line;
}

function fixFor(error: unknown): string | null {
  if (error instanceof ServiceError) {
    const jira = error.service === 'jira';
    switch (error.category) {
      case 'auth':
        return jira
          ? 'check RAIDSYNC_JIRA_EMAIL and RAIDSYNC_JIRA_API_TOKEN (Cloud) or RAIDSYNC_JIRA_PAT (Data Center); `raidsync doctor` checks each'
          : 'check RAIDSYNC_IMPACT_TOKEN; `raidsync doctor` checks each credential';
      case 'network':
      case 'timeout':
        return `check ${jira ? 'RAIDSYNC_JIRA_URL' : 'RAIDSYNC_IMPACT_URL'} and that the host is reachable from here; nothing was written`;
      case 'rate_limit':
        return `${jira ? 'JIRA' : 'FireFighter'} kept rate-limiting raidsync: run again later`;
      case 'not_found':
        return `check ${jira ? 'RAIDSYNC_JIRA_URL' : 'RAIDSYNC_IMPACT_URL'} (the base URL, without /rest or /api)`;
      default:
        return 'run again with --verbose for the details';
    }
  }
  if (error instanceof MalformedResponseError) {
    return `check that ${error.service === 'jira' ? 'RAIDSYNC_JIRA_URL points at JIRA' : 'RAIDSYNC_IMPACT_URL points at FireFighter'}; --verbose shows the field`;
  }
  if (!(error instanceof Error)) return null;
  switch (error.name) {
    case 'LockHeldError':
      return 'wait for that run to end (runs from cron should not overlap)';
    case 'StateFileError':
      return 'point --db or RAIDSYNC_DB at raidsync\'s own state file';
    case 'UsageError':
    case 'ConfigError':
    case 'StateUrlError':
    case 'SafetyStopError':
    case 'StateUnreachableError':
      // Their messages already name the key or the check that stopped the run.
      return null;
    default:
      return 'run again with --verbose for the cause';
  }
}

function details(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    const prefix = depth === 0 ? '  ' : `  ${'  '.repeat(depth - 1)}caused by: `;
    if (current instanceof ServiceError) {
      lines.push(`${prefix}${current.name}: service ${current.service}, endpoint ${current.endpoint}, status ${current.status ?? 'none'}, code ${current.code ?? 'none'}, category ${current.category}`);
      if (current.detail) lines.push(`    server said: ${current.detail}`);
    } else if (current instanceof MalformedResponseError) {
      lines.push(`${prefix}${current.name}: service ${current.service}, endpoint ${current.endpoint}, field ${current.field || '(body)'}`);
    } else if (current instanceof Error) {
      lines.push(`${prefix}${current.name}: ${current.message}${depth === 0 ? ` (category ${errorCategory(current)})` : ''}`);
    } else {
      lines.push(`${prefix}${String(current)}`);
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}
