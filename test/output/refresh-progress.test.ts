// The refresh progress line: elapsed time, done / failed / remaining, an estimate from this attempt's
// pace, and the servers in flight by name, cut to the width with a count of the rest.
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/output/refresh.js';

describe('progressLine', () => {
  it('shows elapsed time, counts and names at once, before any server is done', () => {
    const line = progressLine({ total: 4, done: 0, doneNow: 0, failed: 0, inFlight: ['alpha', 'beta'], elapsedMs: 1_200 });
    expect(line).toBe('[........................] 0:01 · 0/4 done · 0 failed · 4 remaining · now: alpha, beta');
  });

  it('estimates from the servers done in this attempt, not those done before an interruption', () => {
    // 10 done earlier, 2 now in 60 s: 8 remaining at 30 s each.
    const line = progressLine({ total: 20, done: 12, doneNow: 2, failed: 1, inFlight: [], elapsedMs: 60_000 });
    expect(line).toContain('1:00 · 12/20 done · 1 failed · 8 remaining · about 4:00 left');
  });

  it('names as many servers in flight as fit and counts the rest; hostile names are escaped', () => {
    const names = Array.from({ length: 30 }, (_, i) => `server-number-${i}`);
    const line = progressLine({ total: 100, done: 0, doneNow: 0, failed: 0, inFlight: ['\u001b[31mred', ...names], elapsedMs: 3_723_000 });
    expect(line).toMatch(/^\[\.+\] 1:02:03 /);
    expect(line).toContain('now: \\x1b[31mred, server-number-0');
    expect(line).toMatch(/ \+\d+$/);
    expect(line.length).toBeLessThanOrEqual(170);
  });
});
