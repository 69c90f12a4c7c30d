import { describe, expect, it } from 'vitest';
import { SUMMARY_MAX, titleToSummary } from '../../../src/sync/decide/normalise.js';

describe('titleToSummary', () => {
  it('keeps a title JIRA can take as it is', () => {
    expect(titleToSummary('Checkout API returns 500')).toBe('Checkout API returns 500');
  });

  it('joins lines and cuts past 255 characters with an ellipsis, so JIRA never answers 400', () => {
    const summary = titleToSummary(`first line  \r\nsecond line\n${'x'.repeat(400)}`);
    expect(summary).toHaveLength(SUMMARY_MAX);
    expect(summary).toMatch(/^first line second line x+…$/);
  });
});
