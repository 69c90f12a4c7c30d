import type { MapsConfig } from '../../../config/schema.js';
import { FIREFIGHTER_MAPS } from './firefighter.js';
import { SEED_MAPS } from './seed.js';
import type { FieldMaps } from './types.js';

/** The preset the config names, with its single-entry overrides laid over it. */
export function resolveMaps(config: MapsConfig): FieldMaps {
  const preset = config.preset === 'firefighter' ? FIREFIGHTER_MAPS : SEED_MAPS;
  return {
    preset: preset.preset,
    priorityField: config.priorityField ?? preset.priorityField,
    jiraToImpactStatus: { ...preset.jiraToImpactStatus, ...config.jiraToImpactStatus },
    impactToJiraStatus: { ...preset.impactToJiraStatus, ...config.impactToJiraStatus },
    jiraToImpactPriority: { ...preset.jiraToImpactPriority, ...config.jiraToImpactPriority },
    impactToJiraPriority: { ...preset.impactToJiraPriority, ...config.impactToJiraPriority },
    users: Object.fromEntries(Object.entries(config.users).map(([email, account]) => [email.toLowerCase(), account])),
  };
}
