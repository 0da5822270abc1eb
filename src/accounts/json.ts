// Accounts as JSON: the CGRateS wire shape (APIerSv1.GetAccount: numbers, RFC3339 times, maps of
// ids) and the stored shape in DataDB (the same, but values as exact decimal strings).
import { Money } from '../util/money.js';
import { GO_ZERO_TIME, formatTime, isZeroTime } from '../util/time.js';
import type { Account, AccountTrigger, Balance, BalanceFilter, StringMap, UnitCounter } from './model.js';

type Num = (m: Money) => number | string;
const wireNum: Num = (m) => m.toNumber();
const storedNum: Num = (m) => m.toString();

function time(ms: number): string {
  return formatTime(isZeroTime(ms) ? GO_ZERO_TIME : ms);
}

function balanceOut(b: Balance, num: Num): Record<string, unknown> {
  return {
    Uuid: b.uuid,
    ID: b.id,
    Value: num(b.value),
    ExpirationDate: time(b.expirationDate),
    Weight: b.weight,
    DestinationIDs: { ...b.destinationIds },
    RatingSubject: b.ratingSubject,
    Categories: { ...b.categories },
    SharedGroups: { ...b.sharedGroups },
    Timings: null,
    TimingIDs: { ...b.timingIds },
    Disabled: b.disabled,
    Factors: b.factors ? { ...b.factors } : null,
    Blocker: b.blocker,
  };
}

function filterOut(f: BalanceFilter, num: Num): Record<string, unknown> {
  const m = (x: StringMap | undefined) => (x === undefined ? null : { ...x });
  return {
    Uuid: f.uuid ?? null,
    ID: f.id ?? null,
    Type: f.type ?? null,
    Value: f.value === undefined ? null : { Method: '', Params: null, Static: num(f.value) },
    ExpirationDate: f.expirationDate === undefined ? null : time(f.expirationDate),
    Weight: f.weight ?? null,
    DestinationIDs: m(f.destinationIds),
    RatingSubject: f.ratingSubject ?? null,
    Categories: m(f.categories),
    SharedGroups: m(f.sharedGroups),
    TimingIDs: m(f.timingIds),
    Timings: null,
    Disabled: f.disabled ?? null,
    Factors: f.factors ? { ...f.factors } : null,
    Blocker: f.blocker ?? null,
  };
}

function triggerOut(t: AccountTrigger, num: Num): Record<string, unknown> {
  return {
    ID: t.id,
    UniqueID: t.uniqueId,
    ThresholdType: t.thresholdType,
    ThresholdValue: num(t.thresholdValue),
    Recurrent: t.recurrent,
    MinSleep: t.minSleepNs,
    ExpirationDate: time(t.expirationDate),
    ActivationDate: time(t.activationDate),
    Balance: filterOut(t.balance, num),
    Weight: t.weight,
    ActionsID: t.actionsId,
    MinQueuedItems: 0,
    Executed: t.executed,
    LastExecutionTime: time(t.lastExecutionTime),
  };
}

function countersOut(ucs: Record<string, UnitCounter[]>, num: Num): Record<string, unknown> | null {
  const keys = Object.keys(ucs);
  if (keys.length === 0) return null;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    out[k] = ucs[k].map((uc) => ({ CounterType: uc.counterType, Counters: uc.counters.map((c) => ({ Value: num(c.value), Filter: filterOut(c.filter, num) })) }));
  }
  return out;
}

function accountOut(a: Account, num: Num): Record<string, unknown> {
  const bm: Record<string, unknown> = {};
  for (const [t, bs] of Object.entries(a.balanceMap)) bm[t] = bs.map((b) => balanceOut(b, num));
  return {
    ID: a.id,
    BalanceMap: Object.keys(bm).length ? bm : null,
    UnitCounters: countersOut(a.unitCounters, num),
    ActionTriggers: a.actionTriggers.length ? a.actionTriggers.map((t) => triggerOut(t, num)) : null,
    AllowNegative: a.allowNegative,
    Disabled: a.disabled,
    UpdateTime: time(a.updateTime),
  };
}

/** CGRateS's Account JSON (APIerSv1/APIerSv2.GetAccount). */
export function accountToJSON(a: Account): Record<string, unknown> {
  return accountOut(a, wireNum);
}

export function balanceToJSON(b: Balance): Record<string, unknown> {
  return balanceOut(b, wireNum);
}

/** The DataDB document of an account (exact values). */
export function accountToStored(a: Account): Record<string, unknown> {
  return accountOut(a, storedNum);
}

type J = Record<string, unknown>;
const parseT = (v: unknown): number => {
  if (typeof v !== 'string' || v === '' || v === '0001-01-01T00:00:00Z') return GO_ZERO_TIME;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? GO_ZERO_TIME : ms;
};
const map = (v: unknown): StringMap => (v && typeof v === 'object' ? { ...(v as StringMap) } : {});
const optMap = (v: unknown): StringMap | undefined => (v && typeof v === 'object' ? { ...(v as StringMap) } : undefined);
const money = (v: unknown): Money => new Money(v === undefined || v === null || v === '' ? 0 : (v as string | number));

function balanceIn(j: J): Balance {
  return {
    uuid: String(j.Uuid ?? ''),
    id: String(j.ID ?? ''),
    value: money(j.Value),
    expirationDate: parseT(j.ExpirationDate),
    weight: Number(j.Weight ?? 0),
    destinationIds: map(j.DestinationIDs),
    ratingSubject: String(j.RatingSubject ?? ''),
    categories: map(j.Categories),
    sharedGroups: map(j.SharedGroups),
    timingIds: map(j.TimingIDs),
    disabled: Boolean(j.Disabled),
    blocker: Boolean(j.Blocker),
    factors: j.Factors && typeof j.Factors === 'object' ? { ...(j.Factors as Record<string, number>) } : null,
  };
}

function filterIn(j: J | null | undefined): BalanceFilter {
  const f: BalanceFilter = {};
  if (!j) return f;
  if (j.Uuid !== null && j.Uuid !== undefined) f.uuid = String(j.Uuid);
  if (j.ID !== null && j.ID !== undefined) f.id = String(j.ID);
  if (j.Type !== null && j.Type !== undefined) f.type = String(j.Type);
  if (j.Value && typeof j.Value === 'object') f.value = money((j.Value as J).Static);
  if (j.ExpirationDate !== null && j.ExpirationDate !== undefined) f.expirationDate = parseT(j.ExpirationDate);
  if (j.Weight !== null && j.Weight !== undefined) f.weight = Number(j.Weight);
  const d = optMap(j.DestinationIDs);
  if (d) f.destinationIds = d;
  if (j.RatingSubject !== null && j.RatingSubject !== undefined) f.ratingSubject = String(j.RatingSubject);
  const c = optMap(j.Categories);
  if (c) f.categories = c;
  const s = optMap(j.SharedGroups);
  if (s) f.sharedGroups = s;
  const t = optMap(j.TimingIDs);
  if (t) f.timingIds = t;
  if (j.Disabled !== null && j.Disabled !== undefined) f.disabled = Boolean(j.Disabled);
  if (j.Blocker !== null && j.Blocker !== undefined) f.blocker = Boolean(j.Blocker);
  if (j.Factors && typeof j.Factors === 'object') f.factors = { ...(j.Factors as Record<string, number>) };
  return f;
}

/** Reads an account document back (stored or wire shape). */
export function accountFromStored(j: J): Account {
  const balanceMap: Record<string, Balance[]> = {};
  for (const [t, bs] of Object.entries((j.BalanceMap as Record<string, J[]> | null) ?? {})) balanceMap[t] = bs.map(balanceIn);
  const unitCounters: Record<string, UnitCounter[]> = {};
  for (const [t, ucs] of Object.entries((j.UnitCounters as Record<string, J[]> | null) ?? {})) {
    unitCounters[t] = ucs.map((uc) => ({
      counterType: uc.CounterType === '*balance' ? '*balance' : '*event',
      counters: ((uc.Counters as J[] | null) ?? []).map((c) => ({ value: money(c.Value), filter: filterIn(c.Filter as J) })),
    }));
  }
  const actionTriggers: AccountTrigger[] = ((j.ActionTriggers as J[] | null) ?? []).map((t) => ({
    id: String(t.ID ?? ''),
    uniqueId: String(t.UniqueID ?? ''),
    thresholdType: String(t.ThresholdType ?? ''),
    thresholdValue: money(t.ThresholdValue),
    recurrent: Boolean(t.Recurrent),
    minSleepNs: Number(t.MinSleep ?? 0),
    expirationDate: parseT(t.ExpirationDate),
    activationDate: parseT(t.ActivationDate),
    balance: filterIn(t.Balance as J),
    weight: Number(t.Weight ?? 0),
    actionsId: String(t.ActionsID ?? ''),
    executed: Boolean(t.Executed),
    lastExecutionTime: parseT(t.LastExecutionTime),
  }));
  return {
    id: String(j.ID ?? ''),
    balanceMap,
    unitCounters,
    actionTriggers,
    allowNegative: Boolean(j.AllowNegative),
    disabled: Boolean(j.Disabled),
    updateTime: parseT(j.UpdateTime),
  };
}
