// Value types (*constant, *variable, *sum ...): how a Value in an attribute or a template field becomes
// the substitute written at its Path. Shared by AttributeS and the agents' templates, so it lives here.
import type { AttributeEntry } from '../tariffplan/model.js';
import { Money, roundMoney } from '../util/money.js';
import { formatDuration } from '../util/duration.js';
import { parseTime } from '../util/time.js';
import { parseRSRValues, parseAll, parseAllValue, type RSRParser } from './rsr.js';
import { formatGoTime, RFC3339 } from './gotime.js';
import { stringToTyped, ifaceAsString, valueAsDuration, GoDuration, GoTime, type Typed } from './values.js';
import type { DataMap } from './paths.js';

export const ATTRIBUTE_TYPES = [
  '*constant', '*variable', '*composed', '*none', '*usage_difference', '*sum', '*difference', '*multiply', '*divide',
  '*value_exponent', '*unix_timestamp', '*datetime', '*prefix', '*suffix', '*cc_usage',
] as const;

export interface CompiledAttribute {
  filterIds: string[];
  path: string;
  type: string;
  values: RSRParser[];
}

export class AttributeTypeError extends Error {}

export function compileAttributeValue(a: AttributeEntry, sep: string): CompiledAttribute {
  const type = a.type || '*variable';
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type)) throw new AttributeTypeError(`unsupported type: <${type}>`);
  if (a.path === '') throw new AttributeTypeError('empty path');
  const values = parseRSRValues(a.value, sep);
  const need: Record<string, number> = { '*usage_difference': 2, '*value_exponent': 2, '*cc_usage': 3 };
  if (need[type] !== undefined && values.length !== need[type]) throw new AttributeTypeError(`${type} needs ${need[type]} values separated by "${sep}", have ${values.length}`);
  return { filterIds: a.filterIds, path: a.path, type, values };
}

export interface EvalContext {
  timezone: string;
  roundingDecimals: number;
}

/** Typed values for *sum/*difference: ints/floats/durations as numbers (ns), times as times. */
function typedValues(values: RSRParser[], dp: DataMap, tz: string): Typed[] {
  return values.map((v) => stringToTyped(v.parse(dp), tz));
}

function arithmetic(type: '*sum' | '*difference' | '*multiply' | '*divide', items: Typed[], raw: string[]): string {
  if (items.length < 2) throw new AttributeTypeError(`${type} needs at least 2 values`);
  const first = items[0];
  if (first.k === 'time') {
    if (type === '*multiply' || type === '*divide') throw new AttributeTypeError(`${type} cannot use a time`);
    let t = first.v;
    for (let i = 1; i < items.length; i++) {
      const it = items[i];
      if (type === '*difference' && it.k === 'time') return formatDuration((t - it.v) * 1e6); // time − time = duration
      const ns = valueAsDuration(raw[i]);
      t += (type === '*sum' ? ns : -ns) / 1e6;
    }
    return ifaceAsString(new GoTime(t));
  }
  if (first.k !== 'num') throw new AttributeTypeError(`${type}: <${raw[0]}> is not a number, duration or time`);
  const isDuration = /[a-zµ]$/i.test(raw[0]); // `1m30s` is a duration; the result prints as one
  let acc = first.v;
  for (let i = 1; i < items.length; i++) {
    const it = items[i];
    const n = it.k === 'num' ? it.v : new Money(valueAsDuration(raw[i]));
    if (type === '*sum') acc = acc.plus(n);
    else if (type === '*difference') acc = acc.minus(n);
    else if (type === '*multiply') acc = acc.times(n);
    else {
      if (n.isZero()) throw new AttributeTypeError('*divide by 0');
      acc = acc.div(n);
    }
  }
  return isDuration ? ifaceAsString(new GoDuration(acc.trunc().toNumber())) : acc.toFixed();
}

function durationOf(text: string, what: string): number {
  try {
    return valueAsDuration(text);
  } catch {
    throw new AttributeTypeError(`invalid ${what} <${text}> to *cc_usage`);
  }
}

/** The substitute for one attribute (CGRateS's ParseAttribute). */
export function evaluateAttribute(a: CompiledAttribute, dp: DataMap, ctx: EvalContext): string {
  const vals = a.values;
  switch (a.type) {
    case '*none':
      return '';
    case '*constant':
      return parseAllValue(vals, '');
    case '*variable':
    case '*composed':
      return parseAll(vals, dp);
    case '*usage_difference': {
      const end = parseTime(vals[0].parse(dp), 'UTC');
      const start = parseTime(vals[1].parse(dp), 'UTC');
      return formatDuration((end - start) * 1e6);
    }
    case '*sum':
    case '*difference':
    case '*multiply':
    case '*divide': {
      const raw = vals.map((v) => v.parse(dp));
      return arithmetic(a.type, typedValues(vals, dp, ctx.timezone), raw);
    }
    case '*value_exponent': {
      const base = vals[0].parse(dp);
      const exp = vals[1].parse(dp);
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(base)) throw new AttributeTypeError(`invalid value <${base}> to *value_exponent`);
      if (!/^[+-]?\d+$/.test(exp)) throw new AttributeTypeError(`invalid exponent <${exp}> to *value_exponent`);
      return roundMoney(new Money(base).times(new Money(10).pow(Number(exp))), ctx.roundingDecimals, '*middle').toFixed();
    }
    case '*cc_usage': {
      // Diameter: total usage = used so far + debit interval × (request number − 1).
      const reqText = vals[0].parse(dp);
      if (!/^[+-]?\d+$/.test(reqText)) throw new AttributeTypeError(`invalid requestNumber <${reqText}> to *cc_usage`);
      const used = durationOf(vals[1].parse(dp), 'usedCCTime');
      const interval = durationOf(vals[2].parse(dp), 'debitInterval');
      const n = Math.max(Number(reqText) - 1, 0);
      return formatDuration(used + interval * n);
    }
    case '*unix_timestamp':
      return String(Math.floor(parseTime(parseAll(vals, dp), ctx.timezone) / 1000));
    case '*datetime':
      return formatGoTime(parseTime(parseAll(vals, dp), ctx.timezone), RFC3339, ctx.timezone === 'Local' ? 'Local' : ctx.timezone);
    case '*prefix':
      return parseAll(vals, dp) + parseAll(parseRSRValues('~' + a.path), dp);
    case '*suffix':
      return parseAll(parseRSRValues('~' + a.path), dp) + parseAll(vals, dp);
    default:
      throw new AttributeTypeError(`unsupported type: <${a.type}>`);
  }
}
