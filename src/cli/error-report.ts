import { errorCategory, errorMessage, MalformedResponseError, ServiceError } from '../net/errors.js';
import { errorMeaning } from './exit-codes.js';

/**
 * What `main` prints for an error that ended a command: one line, the problem and the fix;
 * with --verbose, the endpoint, category and cause chain below it. Callers scrub secrets.
 */
export function errorReport(error: unknown, verbose: boolean): string {
  const { fix } = errorMeaning(error);
  const line = `raidsync: ${errorMessage(error)}${fix ? `; ${fix}` : ''}\n`;
  return verbose ? line + details(error) : line;
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
