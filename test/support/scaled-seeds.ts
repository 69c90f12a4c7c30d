import { readFileSync } from 'node:fs';
import { fixturePath, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import type { ImpactSeed } from '../../src/sandbox/impact/seed.js';
import type { JiraSeed } from '../../src/sandbox/jira/seed.js';

/**
 * The fixtures' pairs repeated `copies` times under fresh incident ids and issue keys (copy c shifts ids and key
 * numbers by c × 1000), so a test gets a few hundred pairs with the fixtures' mix of drift, conflicts and refusals.
 */
export function scaledSeeds(copies: number): Pick<SandboxOptions, 'jiraSeed' | 'impactSeed'> {
  const jira = JSON.parse(readFileSync(fixturePath('jira.json'), 'utf8')) as JiraSeed & { issues: Array<Record<string, unknown>> };
  const impact = JSON.parse(readFileSync(fixturePath('impact.json'), 'utf8')) as ImpactSeed & { incidents: Array<Record<string, unknown>> };
  const shiftKey = (key: string, offset: number) => key.replace(/-(\d+)$/, (_, n: string) => `-${Number(n) + offset}`);
  const issues = [];
  const incidents = [];
  for (let copy = 0; copy < copies; copy++) {
    const offset = copy * 1000;
    for (const issue of jira.issues) issues.push({ ...issue, key: shiftKey(issue.key as string, offset), id: String(Number(issue.id) + offset) });
    for (const incident of impact.incidents) {
      const key = incident.jiraTicketKey as string | null;
      incidents.push({
        ...incident,
        id: (incident.id as number) + offset,
        jiraTicketKey: key === null ? null : shiftKey(key, offset),
        slackChannelName: `${String(incident.slackChannelName)}-${copy}`,
      });
    }
  }
  return { jiraSeed: { ...jira, issues } as JiraSeed, impactSeed: { ...impact, incidents } as ImpactSeed };
}
