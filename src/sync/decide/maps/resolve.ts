import type { ImpactConfig, MapsConfig } from '../../../config/schema.js';
import { FIREFIGHTER_MAPS, FIREFIGHTER_WEBHOOK } from './firefighter.js';
import { SEED_MAPS, SEED_WEBHOOK } from './seed.js';
import type { FieldMaps } from './types.js';

/** The preset the config names, with its single-entry overrides laid over it; pulls in the vocabulary impact.webhookMap names. */
export function resolveMaps(config: MapsConfig, impact: Pick<ImpactConfig, 'webhookMap' | 'webhookStatuses'>): FieldMaps {
  const preset = config.preset === 'firefighter' ? FIREFIGHTER_MAPS : SEED_MAPS;
  return {
    preset: preset.preset,
    priorityField: config.priorityField ?? preset.priorityField,
    jiraToImpactStatus: { ...preset.jiraToImpactStatus, ...config.jiraToImpactStatus },
    impactToJiraStatus: { ...preset.impactToJiraStatus, ...config.impactToJiraStatus },
    jiraToImpactPriority: { ...preset.jiraToImpactPriority, ...config.jiraToImpactPriority },
    impactToJiraPriority: { ...preset.impactToJiraPriority, ...config.impactToJiraPriority },
    webhook: {
      preset: impact.webhookMap,
      statuses: { ...(impact.webhookMap === 'firefighter' ? FIREFIGHTER_WEBHOOK : SEED_WEBHOOK).statuses, ...impact.webhookStatuses },
    },
    users: Object.fromEntries(Object.entries(config.users).map(([email, account]) => [email.toLowerCase(), account])),
  };
}
