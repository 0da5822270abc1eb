// The account model as CGRateS keeps it (engine/account.go, balances.go): an id `tenant:account`,
// balances by type, unit counters, attached action triggers and two flags. Plain data plus
// clone helpers; money and units are exact decimals (Money), instants epoch ms.
import { randomUUID } from 'node:crypto';
import { Money, ZERO } from '../util/money.js';
import { GO_ZERO_TIME, isZeroTime } from '../util/time.js';

export const MONETARY = '*monetary';
export const VOICE = '*voice';
export const DATA = '*data';
export const SMS = '*sms';
export const MMS = '*mms';
export const GENERIC = '*generic';
export const DEFAULT_BALANCE_ID = '*default';
export const BALANCE_TYPES: readonly string[] = [MONETARY, VOICE, DATA, SMS, MMS, GENERIC];

/** `{ID: included}`: a `!ID` in CSV is stored as `ID: false` (CGRateS StringMap). */
export type StringMap = Record<string, boolean>;

export interface Balance {
  uuid: string;
  id: string;
  /** *monetary: money; *voice: nanoseconds (integral); others: units. */
  value: Money;
  /** epoch ms; GO_ZERO_TIME = never expires. */
  expirationDate: number;
  weight: number;
  destinationIds: StringMap;
  ratingSubject: string;
  categories: StringMap;
  sharedGroups: StringMap;
  timingIds: StringMap;
  disabled: boolean;
  blocker: boolean;
  /** Value factors by BalanceFactorID; null = none (factor 1). */
  factors: Record<string, number> | null;
}

/** A balance filter as actions and triggers carry it: undefined = not set = wildcard. */
export interface BalanceFilter {
  uuid?: string;
  id?: string;
  type?: string;
  value?: Money;
  expirationDate?: number;
  weight?: number;
  destinationIds?: StringMap;
  ratingSubject?: string;
  categories?: StringMap;
  sharedGroups?: StringMap;
  timingIds?: StringMap;
  disabled?: boolean;
  blocker?: boolean;
  factors?: Record<string, number>;
}

export interface CounterFilter {
  value: Money;
  filter: BalanceFilter;
}

/** `*event` counters count CallCosts matching the filter, `*balance` counters count debits of matching balances. */
export interface UnitCounter {
  counterType: '*event' | '*balance';
  counters: CounterFilter[];
}

/** An action trigger as attached to an account (a copy of the ActionTriggers.csv row with its state). */
export interface AccountTrigger {
  id: string;
  uniqueId: string;
  thresholdType: string;
  thresholdValue: Money;
  recurrent: boolean;
  minSleepNs: number;
  expirationDate: number;
  activationDate: number;
  balance: BalanceFilter;
  weight: number;
  actionsId: string;
  executed: boolean;
  lastExecutionTime: number;
}

export interface Account {
  /** `tenant:account` */
  id: string;
  balanceMap: Record<string, Balance[]>;
  unitCounters: Record<string, UnitCounter[]>;
  actionTriggers: AccountTrigger[];
  allowNegative: boolean;
  disabled: boolean;
  updateTime: number;
}

export function accountKey(tenant: string, account: string): string {
  return `${tenant}:${account}`;
}

export function splitAccountKey(id: string): { tenant: string; account: string } {
  const i = id.indexOf(':');
  return i < 0 ? { tenant: '', account: id } : { tenant: id.slice(0, i), account: id.slice(i + 1) };
}

export function newAccount(id: string): Account {
  return { id, balanceMap: {}, unitCounters: {}, actionTriggers: [], allowNegative: false, disabled: false, updateTime: GO_ZERO_TIME };
}

export function newBalance(init: Partial<Balance> = {}): Balance {
  return {
    uuid: randomUUID(),
    id: '',
    value: ZERO,
    expirationDate: GO_ZERO_TIME,
    weight: 0,
    destinationIds: {},
    ratingSubject: '',
    categories: {},
    sharedGroups: {},
    timingIds: {},
    disabled: false,
    blocker: false,
    factors: null,
    ...init,
  };
}

export function cloneBalance(b: Balance): Balance {
  return {
    ...b,
    destinationIds: { ...b.destinationIds },
    categories: { ...b.categories },
    sharedGroups: { ...b.sharedGroups },
    timingIds: { ...b.timingIds },
    factors: b.factors ? { ...b.factors } : null,
  };
}

export function cloneFilter(f: BalanceFilter): BalanceFilter {
  const c: BalanceFilter = { ...f };
  if (f.destinationIds) c.destinationIds = { ...f.destinationIds };
  if (f.categories) c.categories = { ...f.categories };
  if (f.sharedGroups) c.sharedGroups = { ...f.sharedGroups };
  if (f.timingIds) c.timingIds = { ...f.timingIds };
  if (f.factors) c.factors = { ...f.factors };
  return c;
}

export function cloneAccount(a: Account): Account {
  const balanceMap: Record<string, Balance[]> = {};
  for (const [t, bs] of Object.entries(a.balanceMap)) balanceMap[t] = bs.map(cloneBalance);
  const unitCounters: Record<string, UnitCounter[]> = {};
  for (const [t, ucs] of Object.entries(a.unitCounters)) {
    unitCounters[t] = ucs.map((uc) => ({ counterType: uc.counterType, counters: uc.counters.map((c) => ({ value: c.value, filter: cloneFilter(c.filter) })) }));
  }
  return {
    ...a,
    balanceMap,
    unitCounters,
    actionTriggers: a.actionTriggers.map((t) => ({ ...t, balance: cloneFilter(t.balance) })),
  };
}

export function isExpiredAt(b: { expirationDate: number }, t: number): boolean {
  return !isZeroTime(b.expirationDate) && b.expirationDate < t;
}

/** `a;!b;c` → {a: true, b: false, c: true}; '' and `*any` entries stay as written. */
export function parseStringMap(items: readonly string[] | string): StringMap {
  const list = typeof items === 'string' ? items.split(';') : items;
  const m: StringMap = {};
  for (const raw of list) {
    const s = raw.trim();
    if (s === '') continue;
    if (s.startsWith('!')) m[s.slice(1)] = false;
    else m[s] = true;
  }
  return m;
}

export function stringMapEqual(a: StringMap, b: StringMap): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => k in b && a[k] === b[k]);
}

/** CGRateS StringMap.Includes: every key of `sub` is present in `m` (values ignored). */
export function stringMapIncludes(m: StringMap, sub: StringMap): boolean {
  if (Object.keys(sub).length > Object.keys(m).length) return false;
  return Object.keys(sub).every((k) => k in m);
}

export function isMonetaryZero(v: Money): boolean {
  return v.isZero();
}

export { Money };
