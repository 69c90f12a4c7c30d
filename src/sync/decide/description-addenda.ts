/**
 * The blocks FireFighter appends to the tickets it creates, and raidsync to its own: the critical block (P1-P3,
 * incidents/forms/unified_incident.py), "Additional Information" (seller link, suggested team) and the note of a
 * project fallback (raid/client.py create_issue). They are JIRA's own additions: not drift, and kept by every push.
 */
const OPENING = '\n\n🧯 This incident has been created for a critical incident.\n';

// Text each addendum holds, found without a regex: most descriptions hold none (the planner's hot path).
const MARKERS = ['This incident has been created for a critical incident', '*Additional Information*', 'project was refused by Jira'];

const ADDENDA: readonly RegExp[] = [
  /(?:^|\r?\n\r?\n)🧯 This incident has been created for a critical incident\.[ \t]*\r?\n📦 Incident category: [^\r\n]*\r?\n[^\r\n]*Priority: [^\r\n]*(?:\r?\n)?/gu,
  /(?:^|\r?\n)[ \t]*\*Additional Information\*[ \t]*(?:\r?\n(?:Seller link to TOOLBOX: [^\r\n]*|Suggested team to be routed: \*[^\r\n]*\*)[ \t]*)+/gu,
  /(?:^|\r?\n\r?\n)_Automatic creation in the [^\r\n]* project was refused by Jira \(missing permission\): created in [^\r\n]* instead\._/gu,
];

export function criticalAddendum(category: string | null, emoji: string | null, priorityName: string): string {
  return `${OPENING}📦 Incident category: ${category ?? ''}\n${emoji ?? ''} Priority: ${priorityName}\n`;
}

/** A ticket's description as its text and its addenda (exactly as found, in their order). */
export function splitAddenda(description: string | null | undefined): { text: string; addenda: string } {
  const raw = description ?? '';
  if (!MARKERS.some((marker) => raw.includes(marker))) return { text: raw, addenda: '' };
  const found: Array<{ at: number; block: string }> = [];
  for (const pattern of ADDENDA) {
    for (const match of raw.matchAll(pattern)) found.push({ at: match.index, block: match[0] });
  }
  if (found.length === 0) return { text: raw, addenda: '' };
  found.sort((a, b) => a.at - b.at);
  let text = '';
  let from = 0;
  const kept: string[] = [];
  for (const { at, block } of found) {
    if (at < from) continue;
    kept.push(block);
    text += raw.slice(from, at);
    from = at + block.length;
  }
  return { text: text + raw.slice(from), addenda: kept.join('') };
}

/** The description to write: the new text, then the ticket's addenda. */
export function withAddenda(text: string, addenda: string): string {
  return addenda === '' ? text : `${text}${addenda.startsWith('\n') || text === '' ? '' : '\n'}${addenda}`;
}
