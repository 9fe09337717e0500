// Folds many tool risks into one headline risk without ever letting Unknown read as safe.
import { riskRank } from '../model/index.js';
import type { Risk } from '../model/index.js';

/**
 * The highest risk among tools. Unknown outranks Low, because a set holding a tool nobody could judge
 * must not headline as Low; a known Medium or above still wins. Null for no tools.
 */
export function highestRisk(risks: readonly Risk[]): Risk | null {
  if (risks.length === 0) return null;
  let top: Risk | null = null;
  for (const r of risks) {
    if (r === 'Unknown') continue;
    if (top === null || riskRank(r) > riskRank(top)) top = r;
  }
  if (risks.includes('Unknown') && (top === null || top === 'Low')) return 'Unknown';
  return top;
}
