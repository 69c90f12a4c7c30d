import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePlanFile, type PlanFile } from '../sync/decide/plan-file.js';
import { UsageError } from './exit-codes.js';

/** A plan file named on the command line, parsed; a file that cannot be read or is no plan is a usage error. */
export function readPlanFile(cwd: string, file: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`plan file ${file} cannot be read`);
  }
  const parsed = parsePlanFile(text);
  if (!parsed.ok) throw new UsageError(`plan file ${file} ${parsed.problem}`);
  return parsed.plan;
}
