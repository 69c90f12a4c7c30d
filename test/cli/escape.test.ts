import { describe, expect, it } from 'vitest';
import { escapeControls, escapedDeep } from '../../src/cli/render/escape.js';

describe('escapeControls', () => {
  it('shows C0 (but tab and newline), DEL and C1 as \\xNN, and leaves other text as it is', () => {
    expect(escapeControls('a\u0000b\u001b[2Jc\u007fd\u0085e\u009ff\tg\nh é ⇄')).toBe('a\\x00b\\x1b[2Jc\\x7fd\\x85e\\x9ff\tg\nh é ⇄');
  });

  it('escapes every string of a report, keys of maps included, and keeps numbers, nulls and dates', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const shown = escapedDeep({ title: '\u001b]52;c;x\u0007', n: 3, none: null, at, list: ['\u009b'], map: new Map([['\u001b', { k: '\u001b' }]]) });
    expect(shown).toEqual({ title: '\\x1b]52;c;x\\x07', n: 3, none: null, at, list: ['\\x9b'], map: new Map([['\\x1b', { k: '\\x1b' }]]) });
  });
});
