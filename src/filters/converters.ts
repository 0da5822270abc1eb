// Data converters appended to a value in braces: `~*req.Usage{*duration_seconds&*round:2}`.
// Arithmetic is exact (decimal), where CGRateS uses float64.
import { Money, roundMoney } from '../util/money.js';
import { SECOND, MINUTE } from '../util/duration.js';
import { parseTime } from '../util/time.js';
import { formatGoTime } from './gotime.js';
import { GoDuration, ifaceAsString, valueAsDecimal, valueAsDuration } from './values.js';

export type Converter = (input: unknown) => unknown;

export class ConverterError extends Error {}

const ROUND_METHODS: Record<string, string> = { '*up': '*up', '*down': '*down', '*middle': '*middle' };

function decimalParam(name: string, p: string): InstanceType<typeof Money> {
  if (p === '') throw new ConverterError(`${name} converter needs a number, as in ${name}:100`);
  try {
    return new Money(p);
  } catch {
    throw new ConverterError(`${name} converter needs a number, have: <${p}>`);
  }
}

/** Builds one converter from its definition (`*round:4`, `*duration_seconds` ...). */
export function newConverter(def: string): Converter {
  const [name, ...rest] = def.split(':');
  const params = rest.join(':');
  switch (name) {
    case '*duration_seconds':
      return (v) => new Money(valueAsDuration(v)).div(SECOND);
    case '*duration_nanoseconds':
      return (v) => valueAsDuration(v);
    case '*duration_minutes':
      return (v) => new Money(valueAsDuration(v)).div(MINUTE);
    case '*duration':
      return (v) => new GoDuration(valueAsDuration(v));
    case '*round': {
      const p = params === '' ? [] : params.split(':');
      if (p.length > 2) throw new ConverterError(`unsupported *round converter parameters: <${params}>`);
      const decimals = p.length > 0 ? Number(p[0]) : 0;
      if (!Number.isInteger(decimals)) throw new ConverterError(`*round converter needs integer as decimals, have: <${p[0]}>`);
      const method = p.length > 1 ? ROUND_METHODS[p[1]] : '*middle';
      if (!method) throw new ConverterError(`*round converter: unknown rounding method <${p[1]}> (use *up, *down or *middle)`);
      return (v) => roundMoney(valueAsDecimal(v), decimals, method);
    }
    case '*multiply': {
      const f = decimalParam('*multiply', params);
      return (v) => valueAsDecimal(v).times(f);
    }
    case '*divide': {
      const f = decimalParam('*divide', params);
      if (f.isZero()) throw new ConverterError('*divide converter cannot divide by 0');
      return (v) => valueAsDecimal(v).div(f);
    }
    case '*durfmt': {
      const layout = params || '15:04:05';
      return (v) => formatGoTime(Math.trunc(valueAsDuration(v) / 1e6), layout, 'UTC');
    }
    case '*unixtime':
      return (v) => Math.floor(parseTime(ifaceAsString(v), 'UTC') / 1000);
    case '*len':
      return (v) => (Array.isArray(v) ? v.length : [...ifaceAsString(v)].length);
    case '*float64':
      return (v) => valueAsDecimal(v);
    case '*json':
      return (v) => JSON.stringify(v);
    case '*string2hex':
      return (v) => {
        const h = Buffer.from(ifaceAsString(v), 'utf8').toString('hex');
        return h ? '0x' + h : h;
      };
    default:
      throw new ConverterError(`unsupported converter definition: <${def}>`);
  }
}

/** `*duration_seconds&*round:2` → converters applied left to right. */
export function newConverters(defs: string): Converter[] {
  return defs.split('&').map((d) => newConverter(d));
}

export function convert(input: string, converters: readonly Converter[]): string {
  let v: unknown = input;
  for (const c of converters) v = c(v);
  return ifaceAsString(v);
}
