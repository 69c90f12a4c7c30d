import { describe, expect, it } from 'vitest';
import { errorDetail, retryAfterMs } from '../../src/jira/service-errors.js';

describe('reading JIRA error answers', () => {
  const now = Date.parse('2026-11-27T10:00:00Z');

  it('takes Retry-After as seconds or as an HTTP date, else X-RateLimit-Reset', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': 'Fri, 27 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Fri, 27 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'x-ratelimit-reset': '2026-11-27T10:02Z' }, now)).toBe(120_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('joins errorMessages and per-field errors, and strips markup from non-JSON bodies', () => {
    expect(errorDetail({ errorMessages: ['Bad JQL'], errors: { summary: 'Too long' } })).toBe('Bad JQL; summary: Too long');
    expect(errorDetail({ errorMessages: [], errors: {} })).toBeNull();
    expect(errorDetail('<html><body><h1>502 Bad Gateway</h1></body></html>')).toBe('502 Bad Gateway');
    expect(errorDetail('x'.repeat(400))).toHaveLength(301);
  });
});
