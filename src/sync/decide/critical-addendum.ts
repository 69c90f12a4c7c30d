/**
 * The lines FireFighter appends to a P1-P3 ticket's description (incidents/forms/unified_incident.py), and that
 * raidsync appends to the tickets it creates: not drift, so a description compares without them.
 */
const OPENING = '\n\n🧯 This incident has been created for a critical incident.\n';
const TRAILING_ADDENDUM = /\n\n🧯 This incident has been created for a critical incident\.\n📦 Incident category: [^\n]*\n[^\n]* Priority: [^\n]*\n?$/u;

export function criticalAddendum(category: string | null, emoji: string | null, priorityName: string): string {
  return `${OPENING}📦 Incident category: ${category ?? ''}\n${emoji ?? ''} Priority: ${priorityName}\n`;
}

export function withoutCriticalAddendum(description: string | null | undefined): string {
  if (!description || !description.includes('🧯')) return description ?? '';
  return description.replace(TRAILING_ADDENDUM, '');
}
