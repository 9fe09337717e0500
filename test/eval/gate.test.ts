// The accuracy gate: classifies each label set from its captured JSON (no server is started) and fails
// when accuracy falls below the floor committed in gate.json. Raise the floor when the rules improve.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LABEL_SETS, runEval, unassignedServers } from './run.js';
import type { LabelSet } from './run.js';

const gate = JSON.parse(readFileSync(new URL('./gate.json', import.meta.url), 'utf8')) as Partial<Record<LabelSet, { minAccuracy: number }>>;

describe('eval accuracy gate (test/eval/gate.json)', () => {
  it('names only known label sets', () => {
    for (const set of Object.keys(gate)) expect(Object.keys(LABEL_SETS)).toContain(set);
  });

  it('leaves no captured server outside a label set', () => {
    expect(unassignedServers()).toEqual([]);
  });

  for (const [set, floor] of Object.entries(gate) as [LabelSet, { minAccuracy: number }][]) {
    it(`${set}: accuracy stays at or above ${floor.minAccuracy}`, () => {
      const r = runEval(set);
      const figure = `${set}: ${r.correct}/${r.total} = ${r.accuracy.toFixed(4)} (floor ${floor.minAccuracy}), Unknown rate ${(r.unknownRate * 100).toFixed(1)}%`;
      console.log(figure);
      expect(r.unlabelled, `${set}: unlabelled tools`).toEqual([]);
      expect(r.orphanLabels, `${set}: labels for tools no fixture lists`).toEqual([]);
      expect(r.total).toBeGreaterThan(0);
      expect(r.accuracy, figure).toBeGreaterThanOrEqual(floor.minAccuracy);
    });
  }
});
