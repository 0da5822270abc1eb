// Balance filters (CGRateS BalanceFilter): how actions and triggers pick balances, and how an
// action shapes a balance it creates or modifies.
import { Money } from '../util/money.js';
import { GO_ZERO_TIME } from '../util/time.js';
import {
  type Balance, type BalanceFilter, type StringMap, cloneFilter, newBalance, stringMapEqual, stringMapIncludes,
} from './model.js';

/** Balance.MatchFilter: uuid, else id, else every set field (maps by inclusion). */
export function matchFilter(b: Balance, f: BalanceFilter | undefined, bType = '', skipIds = false, skipExpiry = false): boolean {
  if (!f) return true;
  if (bType !== '' && f.type && bType !== f.type) return false;
  if (!skipIds && f.uuid) return b.uuid === f.uuid;
  if (!skipIds && f.id) return b.id === f.id;
  if (!skipExpiry && f.expirationDate !== undefined && b.expirationDate !== f.expirationDate) return false;
  return (
    (f.weight === undefined || b.weight === f.weight) &&
    (f.blocker === undefined || b.blocker === f.blocker) &&
    (f.disabled === undefined || b.disabled === f.disabled) &&
    (f.destinationIds === undefined || stringMapIncludes(b.destinationIds, f.destinationIds)) &&
    (f.categories === undefined || stringMapIncludes(b.categories, f.categories)) &&
    (f.timingIds === undefined || stringMapIncludes(b.timingIds, f.timingIds)) &&
    (f.sharedGroups === undefined || stringMapIncludes(b.sharedGroups, f.sharedGroups)) &&
    (f.ratingSubject === undefined || b.ratingSubject === f.ratingSubject)
  );
}

/** Balance.HardMatchFilter (triggers): like matchFilter but maps must be equal. */
export function hardMatchFilter(b: Balance, f: BalanceFilter | undefined, skipIds = false): boolean {
  if (!f) return true;
  if (!skipIds && f.uuid) return b.uuid === f.uuid;
  if (!skipIds && f.id) return b.id === f.id;
  return (
    (f.expirationDate === undefined || b.expirationDate === f.expirationDate) &&
    (f.weight === undefined || b.weight === f.weight) &&
    (f.blocker === undefined || b.blocker === f.blocker) &&
    (f.disabled === undefined || b.disabled === f.disabled) &&
    (f.destinationIds === undefined || stringMapEqual(b.destinationIds, f.destinationIds)) &&
    (f.categories === undefined || stringMapEqual(b.categories, f.categories)) &&
    (f.timingIds === undefined || stringMapEqual(b.timingIds, f.timingIds)) &&
    (f.sharedGroups === undefined || stringMapEqual(b.sharedGroups, f.sharedGroups)) &&
    (f.ratingSubject === undefined || b.ratingSubject === f.ratingSubject)
  );
}

/** BalanceFilter.CreateBalance: a balance with every set field (new uuid unless given). */
export function createBalance(f: BalanceFilter): Balance {
  const b = newBalance();
  if (f.uuid) b.uuid = f.uuid;
  modifyBalance(b, f);
  return b;
}

/** BalanceFilter.ModifyBalance: copies every set field onto the balance. */
export function modifyBalance(b: Balance, f: BalanceFilter): void {
  if (f.id !== undefined) b.id = f.id;
  if (f.value !== undefined) b.value = f.value;
  if (f.expirationDate !== undefined) b.expirationDate = f.expirationDate;
  if (f.ratingSubject !== undefined) b.ratingSubject = f.ratingSubject;
  if (f.categories !== undefined) b.categories = { ...f.categories };
  if (f.destinationIds !== undefined) b.destinationIds = { ...f.destinationIds };
  if (f.sharedGroups !== undefined) b.sharedGroups = { ...f.sharedGroups };
  if (f.timingIds !== undefined) b.timingIds = { ...f.timingIds };
  if (f.weight !== undefined) b.weight = f.weight;
  if (f.factors !== undefined) b.factors = { ...f.factors };
  if (f.blocker !== undefined) b.blocker = f.blocker;
  if (f.disabled !== undefined) b.disabled = f.disabled;
}

function mapEq(a: StringMap | undefined, b: StringMap | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stringMapEqual(a, b);
}

/** BalanceFilter.Equal (used to key unit counters). */
export function filterEqual(a: BalanceFilter, b: BalanceFilter): boolean {
  return (
    a.uuid === b.uuid && a.id === b.id && a.type === b.type &&
    (a.value === undefined ? b.value === undefined : b.value !== undefined && a.value.eq(b.value)) &&
    a.expirationDate === b.expirationDate && a.weight === b.weight && a.ratingSubject === b.ratingSubject &&
    mapEq(a.destinationIds, b.destinationIds) && mapEq(a.categories, b.categories) &&
    mapEq(a.sharedGroups, b.sharedGroups) && mapEq(a.timingIds, b.timingIds) &&
    a.disabled === b.disabled && a.blocker === b.blocker
  );
}

export { cloneFilter };

/** Balance filter as an API sends it (`Balance: {ID, Weight, DestinationIDs: "A;B", ExpiryTime ...}`). */
export function filterFromApi(
  raw: Record<string, unknown> | undefined,
  parseTime: (v: string) => number,
): BalanceFilter {
  const f: BalanceFilter = {};
  if (!raw) return f;
  const str = (k: string): string | undefined => (raw[k] === undefined || raw[k] === null ? undefined : String(raw[k]));
  const map = (k: string): StringMap | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return Object.fromEntries(v.map((x) => (String(x).startsWith('!') ? [String(x).slice(1), false] : [String(x), true])));
    if (typeof v === 'object') return { ...(v as StringMap) };
    const m: StringMap = {};
    for (const s of String(v).split(';')) if (s) m[s.startsWith('!') ? s.slice(1) : s] = !s.startsWith('!');
    return m;
  };
  const bool = (k: string): boolean | undefined => {
    const v = raw[k];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw new Error(`Balance.${k}: "${String(v)}" is not a boolean`);
  };
  const id = str('ID');
  if (id !== undefined) f.id = id;
  const uuid = str('UUID') ?? str('Uuid');
  if (uuid !== undefined) f.uuid = uuid;
  const w = raw.Weight;
  if (w !== undefined && w !== null && w !== '') {
    const n = Number(w);
    if (!Number.isFinite(n)) throw new Error(`Balance.Weight: "${String(w)}" is not a number`);
    f.weight = n;
  }
  const exp = str('ExpiryTime') ?? str('ExpirationDate');
  if (exp !== undefined) f.expirationDate = exp === '' || exp === '*unlimited' ? GO_ZERO_TIME : parseTime(exp);
  const dst = map('DestinationIDs');
  if (dst) f.destinationIds = dst;
  const rs = str('RatingSubject');
  if (rs !== undefined) f.ratingSubject = rs;
  const cat = map('Categories');
  if (cat) f.categories = cat;
  const sg = map('SharedGroups');
  if (sg) f.sharedGroups = sg;
  const tim = map('TimingIDs');
  if (tim) f.timingIds = tim;
  const dis = bool('Disabled');
  if (dis !== undefined) f.disabled = dis;
  const blk = bool('Blocker');
  if (blk !== undefined) f.blocker = blk;
  const fac = raw.Factors;
  if (fac && typeof fac === 'object') f.factors = { ...(fac as Record<string, number>) };
  else if (typeof fac === 'string' && fac !== '') f.factors = JSON.parse(fac) as Record<string, number>;
  const v = raw.Value;
  if (v !== undefined && v !== null && v !== '') f.value = new Money(String(v)).abs();
  return f;
}
