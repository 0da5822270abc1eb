// Rows → tariff-plan entities. Rows sharing an id merge into one object, as CGRateS's loader
// merges them; references between entities are collected (with their location) for link checks.
import { ROUNDING_METHODS } from '../util/money.js';
import type { TpIssue } from './errors.js';
import { RowReader, ANY } from './fields.js';
import { ACTION_TYPES_RUN, ACTION_TYPES_NOT_RUN } from './schemas.js';
import { didYouMean } from '../util/similar.js';
import {
  ratingProfileKey,
  type Action, type ActionTrigger, type AttributeProfile, type ChargerProfile, type EntityKind, type FilterProfile,
  type MaxCostStrategy, type RoundingMethodName, type TariffPlan, type Timing,
} from './model.js';

/** "this row, at this column, needs an entity of `kind` called `id`". */
export interface Reference {
  file: string;
  line: number;
  column: number;
  kind: EntityKind;
  id: string;
  what: string; // e.g. "RatingPlan RP_1 needs DestinationRate"
}

export interface ParseContext {
  tp: TariffPlan;
  refs: Reference[];
  issues: TpIssue[];
  notices: string[];
  /** Line of the first row that defined an id, per kind (duplicate detection). */
  firstLine: Map<string, number>;
  /** Last profile key per file, for continuation rows with empty Tenant and ID. */
  lastProfile: Map<string, string>;
  legacy: boolean;
  /** `kind\0id` of every id defined by a row, valid or not: a bad row must not also break its referrers. */
  declared: Set<string>;
}

type RowParser = (r: RowReader, ctx: ParseContext) => void;

function ref(ctx: ParseContext, r: RowReader, col: number, kind: EntityKind, id: string, what: string): void {
  if (id !== '') ctx.refs.push({ file: r.file, line: r.line, column: r.column(col), kind, id, what });
}

function requireId(r: RowReader, col = 0, name = 'ID'): string {
  return r.required(col, name);
}

const TIME_OF_DAY = /^([01]?\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const SPECIAL_TIMES = new Set(['*asap', '*every_minute', '*hourly']);

function intList(r: RowReader, col: number, name: string, min: number, max: number, extra: number[] = []): number[] {
  const out: number[] = [];
  for (const item of r.list(col)) {
    if (!/^[+-]?\d+$/.test(item) || ((Number(item) < min || Number(item) > max) && !extra.includes(Number(item)))) {
      r.error(col, `${name} "${item}" is not an integer from ${min} to ${max}${extra.length ? ` or ${extra.join(', ')}` : ''}`);
      continue;
    }
    out.push(Number(item));
  }
  return out;
}

const timings: RowParser = (r, ctx) => {
  const id = requireId(r);
  const years = intList(r, 1, 'year', 0, 9999);
  const months = intList(r, 2, 'month', 1, 12);
  const monthDays = intList(r, 3, 'month day', 1, 31, [-1]);
  // Go's time.Weekday: Sunday = 0; CSV 7 also means Sunday.
  const weekDays = [...new Set(intList(r, 4, 'week day', 0, 7).map((d) => d % 7))];
  const time = r.str(5);
  let startTime = '';
  let endTime = '';
  if (SPECIAL_TIMES.has(time) || time === '') {
    startTime = time;
  } else {
    const parts = time.split(';').map((s) => s.trim());
    if (parts.length > 2 || !parts.every((p) => TIME_OF_DAY.test(p))) {
      r.error(5, `Time "${time}" must be hh:mm:ss, hh:mm:ss;hh:mm:ss, *asap, *every_minute or *hourly`);
    } else {
      [startTime, endTime = ''] = parts;
    }
  }
  if (!r.ok || id === '') return;
  if (duplicate(ctx, r, 'timings', id, 'Timing')) return;
  const t: Timing = { id, years, months, monthDays, weekDays, startTime, endTime };
  ctx.tp.timings[id] = t;
};

function duplicate(ctx: ParseContext, r: RowReader, kind: EntityKind, id: string, name: string): boolean {
  const key = `${kind}\u0000${id}`;
  const first = ctx.firstLine.get(key);
  if (first !== undefined) {
    r.error(0, `duplicate ${name} ${id} (first defined on line ${first})`);
    return true;
  }
  ctx.firstLine.set(key, r.line);
  return false;
}

const prefixSets = new WeakMap<object, Set<string>>();

const destinations: RowParser = (r, ctx) => {
  const id = requireId(r);
  const prefix = r.required(1, 'Prefix');
  // A prefix is matched against dialled numbers character by character: a space can never match.
  if (/\s/.test(prefix)) r.error(1, `Prefix "${prefix}" contains a space`);
  if (!r.ok) return;
  const d = (ctx.tp.destinations[id] ??= { id, prefixes: [] });
  // A set beside the list: one destination may hold a million prefixes (includes() would be quadratic).
  let seen = prefixSets.get(d);
  if (!seen) prefixSets.set(d, (seen = new Set(d.prefixes)));
  if (!seen.has(prefix)) {
    seen.add(prefix);
    d.prefixes.push(prefix);
  }
};

const rates: RowParser = (r, ctx) => {
  const id = requireId(r);
  const slot = {
    connectFee: r.money(1, 'ConnectFee'),
    rate: r.money(2, 'Rate'),
    rateUnit: r.duration(3, 'RateUnit'),
    rateIncrement: r.duration(4, 'RateIncrement'),
    groupIntervalStart: r.duration(5, 'GroupIntervalStart'),
  };
  for (const [i, v] of [[3, slot.rateUnit], [4, slot.rateIncrement], [5, slot.groupIntervalStart]] as const) {
    if (v < 0) r.error(i, `${['RateUnit', 'RateIncrement', 'GroupIntervalStart'][i - 3]} must not be negative`);
  }
  if (!r.ok) return;
  const rate = (ctx.tp.rates[id] ??= { id, slots: [] });
  // Two slots starting at the same GroupIntervalStart: which one prices that minute is undefined.
  const key = `rateslot\u0000${id}\u0000${slot.groupIntervalStart}`;
  const first = ctx.firstLine.get(key);
  if (first !== undefined) {
    r.error(5, `duplicate rate slot: Rate ${id} already has a slot from GroupIntervalStart ${r.str(5) || '0s'} (line ${first})`);
    return;
  }
  ctx.firstLine.set(key, r.line);
  rate.slots.push(slot);
};

const MAX_COST_STRATEGIES = ['', '*free', '*disconnect'];

const destinationRates: RowParser = (r, ctx) => {
  const id = requireId(r);
  const destinationId = r.required(1, 'DestinationId');
  const rateId = r.required(2, 'RatesTag');
  const method = r.str(3);
  if (!ROUNDING_METHODS.includes(method)) r.error(3, `RoundingMethod "${method}" must be one of ${ROUNDING_METHODS.join(', ')}`);
  const roundingDecimals = r.int(4, 'RoundingDecimals');
  if (roundingDecimals < 0) r.error(4, 'RoundingDecimals must not be negative');
  const maxCost = r.money(5, 'MaxCost');
  const strategy = r.str(6);
  if (!MAX_COST_STRATEGIES.includes(strategy)) r.error(6, `MaxCostStrategy "${strategy}" must be empty, *free or *disconnect`);
  if (destinationId !== ANY) ref(ctx, r, 1, 'destinations', destinationId, `DestinationRate ${id}`);
  ref(ctx, r, 2, 'rates', rateId, `DestinationRate ${id}`);
  if (!r.ok) return;
  (ctx.tp.destinationRates[id] ??= { id, entries: [] }).entries.push({
    destinationId, rateId, roundingMethod: method as RoundingMethodName, roundingDecimals, maxCost,
    maxCostStrategy: strategy as MaxCostStrategy,
  });
};

const ratingPlans: RowParser = (r, ctx) => {
  const id = requireId(r);
  const destinationRatesId = r.required(1, 'DestinationRatesId');
  const timingId = r.str(2) || ANY;
  const weight = r.number(3, 'Weight');
  ref(ctx, r, 1, 'destinationRates', destinationRatesId, `RatingPlan ${id}`);
  if (timingId !== ANY) ref(ctx, r, 2, 'timings', timingId, `RatingPlan ${id}`);
  if (!r.ok) return;
  (ctx.tp.ratingPlans[id] ??= { id, entries: [] }).entries.push({ destinationRatesId, timingId, weight });
};

const ratingProfiles: RowParser = (r, ctx) => {
  const tenant = r.required(0, 'Tenant');
  const category = r.required(1, 'Category');
  const subject = r.required(2, 'Subject');
  const activationTime = r.time(3, 'ActivationTime');
  const ratingPlanId = r.required(4, 'RatingPlanId');
  const fallbackSubjects = r.items(5);
  ref(ctx, r, 4, 'ratingPlans', ratingPlanId, `RatingProfile ${tenant}:${category}:${subject}`);
  if (!r.ok) return;
  const key = ratingProfileKey(tenant, category, subject);
  const p = (ctx.tp.ratingProfiles[key] ??= { tenant, category, subject, activations: [] });
  // A later row with the same activation time replaces the earlier one, as in CGRateS's map.
  p.activations = p.activations.filter((a) => a.activationTime !== activationTime);
  p.activations.push({ activationTime, ratingPlanId, fallbackSubjects });
  p.activations.sort((a, b) => a.activationTime - b.activationTime);
};

const SHARING_STRATEGIES = ['', '*highest', '*lowest', '*mine_highest', '*mine_lowest', '*random', '*mine_random'];

const sharedGroups: RowParser = (r, ctx) => {
  const id = requireId(r);
  const account = r.str(1) || ANY;
  const strategy = r.str(2);
  if (!SHARING_STRATEGIES.includes(strategy)) r.error(2, `Strategy "${strategy}" must be one of ${SHARING_STRATEGIES.filter(Boolean).join(', ')}`);
  if (!r.ok) return;
  (ctx.tp.sharedGroups[id] ??= { id, members: [] }).members.push({ account, strategy, ratingSubject: r.str(3) });
};

function isJson(s: string): boolean {
  if (!s.startsWith('{')) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const actions: RowParser = (r, ctx) => {
  const id = requireId(r, 0, 'ActionsId');
  const balanceType = r.opt(5);
  let units = r.opt(12);
  if (units !== '' && !isJson(units)) {
    if (balanceType === '*voice') {
      // 2015 voice units were seconds; today a bare integer is nanoseconds.
      if (ctx.legacy && /^\d+(\.\d+)?$/.test(units)) units = `${units}s`;
      r.duration(12, 'Units');
    } else {
      r.money(12, 'Units');
    }
  }
  const a: Action = {
    actionsId: id,
    action: r.required(1, 'Action'),
    extraParameters: r.str(2),
    filter: r.str(3),
    balanceId: r.opt(4),
    balanceType,
    categories: r.list(6),
    destinationIds: r.list(7),
    ratingSubject: r.opt(8),
    sharedGroups: r.list(9),
    expiryTime: r.str(10),
    timingIds: r.list(11),
    units,
    balanceWeight: r.optNumber(13, 'BalanceWeight'),
    balanceBlocker: r.optBool(14, 'BalanceBlocker'),
    balanceDisabled: r.optBool(15, 'BalanceDisabled'),
    weight: r.number(16, 'Weight'),
  };
  if (a.action !== '' && !ACTION_TYPES_RUN.includes(a.action)) {
    if (ACTION_TYPES_NOT_RUN.includes(a.action)) {
      ctx.notices.push(`${r.file}:${r.line}:${r.column(1)}: ${a.action} is a CGRateS action AccuRate does not run; executing Actions ${id} will fail`);
    } else {
      r.error(1, `unknown action type "${a.action}"${didYouMean(a.action, ACTION_TYPES_RUN)}; known: ${ACTION_TYPES_RUN.join(', ')}`);
    }
  }
  for (const sg of a.sharedGroups) ref(ctx, r, 9, 'sharedGroups', sg, `Action ${id}`);
  for (const t of a.timingIds) ref(ctx, r, 11, 'timings', t.replace(/^!/, ''), `Action ${id}`);
  if (!r.ok) return;
  (ctx.tp.actions[id] ??= { id, actions: [] }).actions.push(a);
};

const actionPlans: RowParser = (r, ctx) => {
  const id = requireId(r);
  const actionsId = r.required(1, 'ActionsId');
  const timingId = r.required(2, 'TimingId');
  const weight = r.number(3, 'Weight');
  ref(ctx, r, 1, 'actions', actionsId, `ActionPlan ${id}`);
  ref(ctx, r, 2, 'timings', timingId, `ActionPlan ${id}`);
  if (!r.ok) return;
  (ctx.tp.actionPlans[id] ??= { id, entries: [] }).entries.push({ actionsId, timingId, weight });
};

/** 2015 counter thresholds were renamed. */
const LEGACY_THRESHOLDS: Record<string, string> = { '*min_counter': '*min_event_counter', '*max_counter': '*max_event_counter' };

const actionTriggers: RowParser = (r, ctx) => {
  const id = requireId(r, 0, 'Tag');
  let thresholdType = r.required(2, 'ThresholdType');
  if (ctx.legacy) thresholdType = LEGACY_THRESHOLDS[thresholdType] ?? thresholdType;
  const t: ActionTrigger = {
    tag: id,
    uniqueId: r.str(1),
    thresholdType,
    thresholdValue: r.money(3, 'ThresholdValue'),
    recurrent: r.bool(4, 'Recurrent'),
    minSleep: r.duration(5, 'MinSleep'),
    expiryTime: r.str(6),
    activationTime: r.str(7),
    balanceTag: r.opt(8),
    balanceType: r.opt(9),
    balanceCategories: r.list(10),
    balanceDestinationIds: r.list(11),
    balanceRatingSubject: r.opt(12),
    balanceSharedGroups: r.list(13),
    balanceExpiryTime: r.str(14),
    balanceTimingIds: r.list(15),
    balanceWeight: r.optNumber(16, 'BalanceWeight'),
    balanceBlocker: r.optBool(17, 'BalanceBlocker'),
    balanceDisabled: r.optBool(18, 'BalanceDisabled'),
    actionsId: r.required(19, 'ActionsId'),
    weight: r.number(20, 'Weight'),
  };
  ref(ctx, r, 19, 'actions', t.actionsId, `ActionTrigger ${id}`);
  if (!r.ok) return;
  (ctx.tp.actionTriggers[id] ??= { id, triggers: [] }).triggers.push(t);
};

const accountActions: RowParser = (r, ctx) => {
  const tenant = r.required(0, 'Tenant');
  const account = r.required(1, 'Account');
  const actionPlanId = r.str(2);
  const actionTriggersId = r.str(3);
  const allowNegative = r.bool(4, 'AllowNegative');
  const disabled = r.bool(5, 'Disabled');
  ref(ctx, r, 2, 'actionPlans', actionPlanId, `Account ${tenant}:${account}`);
  ref(ctx, r, 3, 'actionTriggers', actionTriggersId, `Account ${tenant}:${account}`);
  if (!r.ok) return;
  const key = `${tenant}:${account}`;
  if (duplicate(ctx, r, 'accountActions', key, 'account')) return;
  ctx.tp.accountActions[key] = { tenant, account, actionPlanId, actionTriggersId, allowNegative, disabled };
};

/** Profile key of a Filters/Attributes/Chargers row; empty Tenant and ID continue the previous profile. */
function profileKey(r: RowReader, ctx: ParseContext): { tenant: string; id: string; key: string } | undefined {
  let tenant = r.str(0);
  let id = r.str(1);
  if (tenant === '' && id === '') {
    const prev = ctx.lastProfile.get(r.file);
    if (!prev) {
      r.error(0, 'Tenant and ID are empty and there is no profile above to continue');
      return undefined;
    }
    [tenant, id] = splitKey(prev);
  } else {
    if (tenant === '') r.error(0, 'Tenant is empty');
    if (id === '') r.error(1, 'ID is empty');
    if (tenant === '' || id === '') return undefined;
  }
  const key = `${tenant}:${id}`;
  ctx.lastProfile.set(r.file, key);
  return { tenant, id, key };
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Splits filter values on `;` except inside `<...>` dynamic parts (as CGRateS). */
function splitValues(v: string): string[] {
  if (v === '') return [];
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of v) {
    if (ch === '<') depth++;
    else if (ch === '>' && depth > 0) depth--;
    if (ch === ';' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const filters: RowParser = (r, ctx) => {
  const k = profileKey(r, ctx);
  const type = r.str(2);
  const element = r.str(3);
  const values = splitValues(r.str(4));
  const ai = r.activationInterval(5);
  if (type !== '' && !type.startsWith('*')) r.error(2, `filter Type "${type}" must start with * (e.g. *string, *prefix)`);
  if (!k || !r.ok) return;
  const f: FilterProfile = (ctx.tp.filters[k.key] ??= { tenant: k.tenant, id: k.id, rules: [], activationInterval: null });
  if (ai) f.activationInterval = ai;
  if (type === '') return;
  // Rows with the same Type and Element extend one rule's values.
  const same = f.rules.find((x) => x.type === type && x.element === element);
  if (same) same.values.push(...values);
  else f.rules.push({ type, element, values });
};

function addAll(list: string[], items: string[]): void {
  for (const i of items) if (!list.includes(i)) list.push(i);
}

const attributes: RowParser = (r, ctx) => {
  const k = profileKey(r, ctx);
  const contexts = r.list(2);
  const filterIds = r.list(3);
  const ai = r.activationInterval(4);
  const attributeFilterIds = r.list(5);
  const path = r.str(6);
  const type = r.str(7);
  const value = r.str(8);
  const blocker = r.bool(9, 'Blocker');
  const weight = r.number(10, 'Weight');
  if (path !== '' && type === '') r.error(7, `Type is empty for Path ${path}`);
  if (!k || !r.ok) return;
  let p: AttributeProfile | undefined = ctx.tp.attributes[k.key];
  if (!p) {
    p = { tenant: k.tenant, id: k.id, contexts: [], filterIds: [], activationInterval: null, attributes: [], blocker, weight };
    ctx.tp.attributes[k.key] = p;
  } else if (weight !== 0) {
    // As CGRateS: Blocker comes from the profile's first row, Weight from any row that sets it.
    p.weight = weight;
  }
  // Filter ids like *string:~*req.Account:1001 keep their ':' — only ';' separates them.
  addAll(p.contexts, r.str(2) === ANY ? [ANY] : contexts);
  addAll(p.filterIds, filterIds);
  if (ai) p.activationInterval = ai;
  if (path !== '') p.attributes.push({ filterIds: attributeFilterIds, path, type, value });
};

/** AttributeIDs: profile ids, `*none`, or inline `*type:path:value` attributes (whose `;` parts stay together). */
function splitAttributeIds(v: string): string[] {
  const out: string[] = [];
  let inline = '';
  for (const part of splitValues(v)) {
    if (!part.startsWith('*') && inline === '') {
      out.push(part);
      continue;
    }
    if (!part.startsWith('*')) {
      out.push(inline);
      inline = '';
      out.push(part);
      continue;
    }
    if (part === '*none' || /^\*\w+:/.test(part)) {
      if (inline !== '') out.push(inline);
      inline = part;
    } else {
      inline = inline === '' ? part : `${inline};${part}`;
    }
  }
  if (inline !== '') out.push(inline);
  return out;
}

const chargers: RowParser = (r, ctx) => {
  const k = profileKey(r, ctx);
  const filterIds = r.list(2);
  const ai = r.activationInterval(3);
  const runId = r.str(4);
  const attributeIds = splitAttributeIds(r.str(5));
  const weight = r.number(6, 'Weight');
  if (!k || !r.ok) return;
  let c: ChargerProfile | undefined = ctx.tp.chargers[k.key];
  if (!c) {
    c = { tenant: k.tenant, id: k.id, filterIds: [], activationInterval: null, runId: '', attributeIds: [], weight: 0 };
    ctx.tp.chargers[k.key] = c;
  }
  addAll(c.filterIds, filterIds);
  if (ai) c.activationInterval = ai;
  if (runId !== '') c.runId = runId;
  c.attributeIds.push(...attributeIds);
  if (weight !== 0) c.weight = weight;
};

export const ROW_PARSERS: Record<EntityKind, RowParser> = {
  timings, destinations, rates, destinationRates, ratingPlans, ratingProfiles, sharedGroups,
  actions, actionPlans, actionTriggers, accountActions, filters, attributes, chargers,
};
