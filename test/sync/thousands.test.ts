import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thousands } from '../../src/sync/thousands.js';

describe('thousands', () => {
  it("prints any count as toLocaleString('en-US') does", () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(thousands(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
    expect(thousands(50_000)).toBe('50,000');
  });
});
