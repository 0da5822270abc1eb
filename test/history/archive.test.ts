import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readTariffPlanFolder, type TariffPlan } from '../../src/tariffplan/index.js';
import { openHistory, recordTariffPlan, historyLog, historyShow, historyDiff, historyEntries, describeRateChanges } from '../../src/history/index.js';

const TP = join(import.meta.dirname, '../../tp');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-history-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tutorial(): Promise<TariffPlan> {
  return (await readTariffPlanFolder(TP)).tp;
}

async function commitCount(): Promise<number> {
  const r = await execa('git', ['rev-list', '--count', 'HEAD'], { cwd: join(dir, 'h') });
  return Number(r.stdout.trim());
}

describe('tariff-plan history', () => {
  it('commits work without any global git identity', async () => {
    const h = await openHistory(join(dir, 'h'));
    const empty = join(dir, 'nohome');
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL };
    process.env.HOME = empty;
    process.env.XDG_CONFIG_HOME = empty;
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    try {
      const r = await recordTariffPlan(h, await tutorial(), { source: 'tp/' });
      expect(r.committed).toBe(true);
      const local = await execa('git', ['config', '--local', 'user.email'], { cwd: h.dir });
      expect(local.stdout.trim()).not.toBe('');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  it('one canonical sorted JSON file per kind', async () => {
    const h = await openHistory(join(dir, 'h'));
    const tp = await tutorial();
    await recordTariffPlan(h, tp);
    const text = await readFile(join(dir, 'h', 'destination_rates.json'), 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(tp.destinationRates).sort());
    expect(text).toContain('\n  "DR_1002_10CNT": {\n    "entries": [');
    expect(text.endsWith('}\n')).toBe(true);
    const rates = JSON.parse(await readFile(join(dir, 'h', 'rates.json'), 'utf8'));
    expect(rates).toEqual(tp.rates);
  });

  it('two loads with different rates make two commits and the diff shows the change', async () => {
    const h = await openHistory(join(dir, 'h'));
    const tp = await tutorial();
    const first = await recordTariffPlan(h, tp, { source: 'tp/' });
    expect(first.summary).toBe('+4 timings, +3 destinations, +4 rates, +7 destination_rates, +3 rating_plans, +3 rating_profiles, +1 shared_groups, +7 actions, +3 action_plans, +1 action_triggers, +7 account_actions, +1 filters, +1 attributes, +1 chargers');
    const changed = structuredClone(tp);
    changed.rates.RT_20CNT.slots[0].rate = '0.25';
    changed.rates.RT_NEW = { id: 'RT_NEW', slots: [{ connectFee: '0', rate: '1', rateUnit: 1e9, rateIncrement: 1e9, groupIntervalStart: 0 }] };
    delete changed.rates.RT_1CNT;
    const second = await recordTariffPlan(h, changed, { source: 'tp2/' });
    expect(second.committed).toBe(true);
    expect(second.summary).toBe('+1 ~1 -1 rates');
    expect(await commitCount()).toBe(2);
    const d = await historyDiff(h, 'HEAD~1', 'HEAD');
    expect(d).toContain('RT_20CNT: rate 0.2 → 0.25 (slot 1)');
    expect(d).toContain('+ RT_NEW (1 slot): 1 per 1s in 1s steps from 0s, connect fee 0');
    expect(d).toContain('- RT_1CNT');
  });

  it('an identical load makes no commit', async () => {
    const h = await openHistory(join(dir, 'h'));
    await recordTariffPlan(h, await tutorial());
    const again = await recordTariffPlan(h, await tutorial());
    expect(again.committed).toBe(false);
    expect(await commitCount()).toBe(1);
  });

  it('log lists loads newest first with their source', async () => {
    const h = await openHistory(join(dir, 'h'));
    const tp = await tutorial();
    await recordTariffPlan(h, tp, { source: '/srv/tp' });
    const changed = structuredClone(tp);
    changed.destinations.DST_X = { id: 'DST_X', prefixes: ['9'] };
    await recordTariffPlan(h, changed, { source: '/srv/tp2' });
    const entries = await historyEntries(h);
    expect(entries.map((e) => e.subject)[0]).toBe('+1 destinations');
    const log = await historyLog(h);
    expect(log.split('\n')[0]).toMatch(/^[0-9a-f]{10} {2}\S+ {2}\+1 destinations {2}\(source: \/srv\/tp2\)$/);
  });

  it('show prints a commit with its changes, or one file at that revision', async () => {
    const h = await openHistory(join(dir, 'h'));
    const tp = await tutorial();
    await recordTariffPlan(h, tp);
    const changed = structuredClone(tp);
    changed.destinations.DST_1002.prefixes.push('2002');
    await recordTariffPlan(h, changed);
    const shown = await historyShow(h, 'HEAD');
    expect(shown).toContain('~1 destinations');
    expect(shown).toContain('~ DST_1002');
    expect(shown).toContain('+      "2002"');
    expect(JSON.parse(await historyShow(h, 'HEAD~1', 'destinations')).DST_1002.prefixes).toEqual(['1002']);
  });

  it('rate changes are described field by field, durations Go-style', () => {
    const slot = { connectFee: '0', rate: '0.1', rateUnit: 60e9, rateIncrement: 1e9, groupIntervalStart: 60e9 };
    expect(describeRateChanges(
      { R: { id: 'R', slots: [slot] } },
      { R: { id: 'R', slots: [{ ...slot, rateIncrement: 60e9 }, slot] } },
    )).toEqual(['R: increment 1s → 1m0s (slot 1)', 'R: slot 2 added: 0.1 per 1m0s in 1s steps from 1m0s, connect fee 0']);
  });

  it('an unknown revision is a clear error', async () => {
    const h = await openHistory(join(dir, 'h'));
    await recordTariffPlan(h, await tutorial());
    await expect(historyDiff(h, 'nope')).rejects.toThrow(/unknown revision "nope"/);
  });
});
