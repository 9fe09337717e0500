// The accuracy gate: classifies each label set from its captured JSON (no server is started) and fails
// when accuracy falls below the floor committed in gate.json. Raise the floor when the rules improve.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LABEL_SETS, runEval, unassignedServers } from './run.js';
import { runPoisoningEval } from './poisoning.js';
import type { LabelSet } from './run.js';

interface PoisoningGate {
  minTextBorne: number;
  minHidden: number;
  minOvert: number;
  maxHardNegativeAlarms: number;
  maxRealToolAlarms?: number;
}
const file = JSON.parse(readFileSync(new URL('./gate.json', import.meta.url), 'utf8')) as Record<string, unknown>;
// Poisoning floors sit beside the accuracy floors, under their own keys.
const POISONING_SETS = {
  poisoning: 'dev',
  'poisoning-heldout': 'heldout',
  'poisoning-heldout2': 'heldout2',
  'poisoning-heldout3': 'heldout3',
  'poisoning-heldout4': 'heldout4',
  'poisoning-heldout5': 'heldout5',
  'poisoning-heldout6': 'heldout6',
  'poisoning-heldout7': 'heldout7',
  'poisoning-heldout8': 'heldout8',
  'poisoning-heldout9': 'heldout9',
} as const;
const gate = Object.fromEntries(Object.entries(file).filter(([k]) => !(k in POISONING_SETS))) as Partial<Record<LabelSet, { minAccuracy: number }>>;

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

describe('poisoning detection gate (test/eval/gate.json)', () => {
  for (const [key, set] of Object.entries(POISONING_SETS)) {
    const floor = file[key] as PoisoningGate | undefined;
    if (floor === undefined) continue;
    it(`${key}: detection and false alarms stay within the committed bounds`, () => {
      const r = runPoisoningEval(set);
      const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
      const figure = `${key}: text-borne ${pct(r.textBorne.rate)}, hidden ${pct(r.perKind.hidden?.rate ?? 0)}, overt ${pct(r.perKind.overt?.rate ?? 0)}, hard negatives flagged ${pct(r.hardNegatives.rate)}, real tools flagged ${pct(r.realTools.rate)}`;
      console.log(figure);
      expect(r.textBorne.total).toBeGreaterThan(0);
      expect(r.textBorne.rate, figure).toBeGreaterThanOrEqual(floor.minTextBorne);
      expect(r.perKind.hidden?.rate ?? 0, figure).toBeGreaterThanOrEqual(floor.minHidden);
      expect(r.perKind.overt?.rate ?? 0, figure).toBeGreaterThanOrEqual(floor.minOvert);
      expect(r.overtReadLow, figure).toBe(0);
      expect(r.hardNegatives.rate, figure).toBeLessThanOrEqual(floor.maxHardNegativeAlarms);
      if (floor.maxRealToolAlarms !== undefined) {
        expect(r.realTools.total).toBeGreaterThan(1000);
        expect(r.realTools.rate, figure).toBeLessThanOrEqual(floor.maxRealToolAlarms);
      }
    });
  }
});
