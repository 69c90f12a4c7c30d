import type { FieldChange, Plan, TicketChange } from '../../sync/decide/plan.js';

/** The contract's `--json` object: the command as typed, and every change without the internals apply needs. */
export function planJson(command: string, plan: Pick<Plan, 'pairs' | 'changes' | 'errors' | 'tickets' | 'inSync'>, dryRun: boolean, notice?: string, runId?: number): string {
  const body = {
    command,
    // The run's id in the state file, as `status` and `log` list it.
    ...(runId !== undefined && { run: runId }),
    dryRun,
    // Why nothing (or not everything) was written, e.g. "sync disabled by configuration".
    ...(notice && { notice }),
    pairs: plan.pairs,
    changes: [
      // Tickets first: a ticket created in this run is the pair whose fields follow.
      ...(plan.tickets ?? []).map((ticket) => ({ ...contractChange(ticket), fields: ticket.fields })),
      ...plan.changes.map(contractChange),
    ],
    errors: plan.errors.map(({ incident, issue, message }) => ({ incident, issue, message })),
    // apply: the plan's changes found already made, so nothing was (or would be) written for them.
    ...(plan.inSync && { alreadyInSync: plan.inSync.map(({ incident, issue, field, direction, to }) => ({ incident, issue, field, direction, to })) }),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** A change as the contract's Output section names it, in its order. */
function contractChange({ incident, issue, field, direction, from, to, outcome, reason }: FieldChange | TicketChange) {
  return { incident, issue, field, direction, from, to, outcome, reason };
}
