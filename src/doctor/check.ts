/** One line of `raidsync doctor`: what was checked, whether it passed, and for a failure the fix. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string | undefined;
  /** Passed, with something a person should know and may fix. */
  warning?: true | undefined;
  /** Which exit code a failure means: config 2, service 3, maps 4. */
  kind: 'config' | 'service' | 'maps';
}

export const pass = (kind: CheckResult['kind'], name: string, detail: string): CheckResult => ({ name, ok: true, detail, kind });
export const warn = (kind: CheckResult['kind'], name: string, detail: string, fix: string): CheckResult => ({ name, ok: true, warning: true, detail, fix, kind });
export const fail = (kind: CheckResult['kind'], name: string, detail: string, fix: string): CheckResult => ({ name, ok: false, detail, fix, kind });

/** The contract's code for the most basic failure: a config problem hides the rest, an unreachable service the maps. */
export function doctorExitCode(checks: readonly CheckResult[]): number {
  const failed = new Set(checks.filter((check) => !check.ok).map((check) => check.kind));
  if (failed.has('config')) return 2;
  if (failed.has('service')) return 3;
  if (failed.has('maps')) return 4;
  return 0;
}
