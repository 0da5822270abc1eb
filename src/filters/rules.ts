// One filter rule (`*string:~*req.Account:1001|1002`): type, element, values. Every type CGRateS
// implements except the network look-ups (*http, *apiban, *sentrypeer); `*not…` negates.
import { BlockList, isIP } from 'node:net';
import { parseTime } from '../util/time.js';
import { goRegExp, RSRParser } from './rsr.js';
import { RSRFilter, passAnyRSRFilter } from './rsrfilter.js';
import { dynamicInterface, NotFoundError, type DataMap } from './paths.js';
import { equalTo, greaterThan, isMoney, stringToTyped, GoTime, GoDuration } from './values.js';

/** What rules need from the rest of the engine, injected so filters never import rating. */
export interface FilterDeps {
  /** Destination IDs whose prefixes match the number (for *destinations). */
  destinationsFor?(number: string): string[];
  /** Whether the timing is active at the instant; undefined when the timing does not exist (for *timings). */
  timingActive?(timingId: string, atMs: number): boolean | undefined;
  /** Zone for times written without one (general.default_timezone); default 'Local'. */
  timezone?: string;
  now?(): number;
}

export class FilterError extends Error {}

const BASE_TYPES = new Set([
  '*string', '*contains', '*prefix', '*suffix', '*empty', '*exists', '*timings', '*destinations', '*rsr',
  '*lt', '*lte', '*gt', '*gte', '*eq', '*ipnet', '*ai', '*regex',
]);
const COMPARISONS = new Set(['*lt', '*lte', '*gt', '*gte']);
/** `*ni…` ("not indexed") types behave as their plain type. */
const NOT_INDEXED: Record<string, string> = { '*nistring': '*string', '*niprefix': '*prefix', '*nisuffix': '*suffix', '*niexists': '*exists' };
const NO_VALUES = new Set(['*empty', '*exists']);
const NETWORK_TYPES = ['*http', '*apiban', '*sentrypeer'];

export const FILTER_TYPES: readonly string[] = [
  ...BASE_TYPES,
  ...[...BASE_TYPES].filter((t) => !COMPARISONS.has(t)).map((t) => '*not' + t.slice(1)),
  ...Object.keys(NOT_INDEXED),
];

function isEmptyValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object' && !(v instanceof GoTime) && !(v instanceof GoDuration) && !isMoney(v)) return Object.keys(v).length === 0;
  return false;
}

export class FilterRule {
  readonly base: string;
  readonly negative: boolean;
  private readonly el: RSRParser;
  private readonly vals: (RSRParser | null)[] = [];
  private readonly rsrFilters: RSRFilter[] = [];
  private readonly regexes: RegExp[] = [];
  private readonly nets?: BlockList;

  constructor(
    readonly type: string,
    readonly element: string,
    readonly values: readonly string[],
  ) {
    let base = type;
    let negative = false;
    if (NOT_INDEXED[type]) base = NOT_INDEXED[type];
    else if (type.startsWith('*not')) {
      base = '*' + type.slice(4);
      negative = true;
    }
    if (NETWORK_TYPES.some((t) => base.startsWith(t))) throw new FilterError(`filter type ${type} is not supported by AccuRate (it needs an external service)`);
    if (!BASE_TYPES.has(base)) throw new FilterError(`Unsupported filter Type: ${type}`);
    if (negative && COMPARISONS.has(base)) throw new FilterError(`Unsupported filter Type: ${type} (use the opposite comparison instead)`);
    if (element === '') throw new FilterError(`Element is mandatory for Type: ${type}`);
    if (NO_VALUES.has(base)) {
      if (values.some((v) => v !== '')) throw new FilterError(`filter type ${type} takes no values, have <${values.join('|')}>`);
    } else if (values.length === 0) throw new FilterError(`Values is mandatory for Type: ${type}`);
    this.base = base;
    this.negative = negative;
    try {
      this.el = new RSRParser(element);
      switch (base) {
        case '*regex':
          for (const v of values) this.regexes.push(goRegExp(v));
          break;
        case '*rsr':
          for (const v of values) this.rsrFilters.push(new RSRFilter(v));
          break;
        case '*empty':
        case '*exists':
          break;
        case '*ai':
          if (values.length > 2) throw new FilterError('*ai takes one or two values: [start|]end or start');
          for (const v of values) this.vals.push(v === '' ? null : new RSRParser(v));
          break;
        case '*ipnet': {
          this.nets = new BlockList();
          for (const v of values) {
            const [addr, bits] = v.split('/');
            const fam = isIP(addr);
            if (!fam || bits === undefined || !/^\d+$/.test(bits)) continue; // CGRateS skips unparsable CIDRs
            this.nets.addSubnet(addr, Number(bits), fam === 6 ? 'ipv6' : 'ipv4');
          }
          break;
        }
        default:
          for (const v of values) this.vals.push(new RSRParser(v));
      }
    } catch (e) {
      if (e instanceof FilterError) throw e;
      throw new FilterError(`filter ${type}:${element}:${values.join('|')}: ${(e as Error).message}`);
    }
  }

  pass(dp: DataMap, deps: FilterDeps = {}): boolean {
    return this.passBase(dp, deps) !== this.negative;
  }

  /** The element's value, or undefined when the field is absent. */
  private elementValue(dp: DataMap): string | undefined {
    try {
      return this.el.parse(dp);
    } catch (e) {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    }
  }

  /** Each value; values whose reference is absent are skipped, as CGRateS. */
  private *values_(dp: DataMap): Generator<string> {
    for (const v of this.vals) {
      if (!v) continue;
      try {
        yield v.parse(dp);
      } catch (e) {
        if (!(e instanceof NotFoundError)) throw e;
      }
    }
  }

  private passBase(dp: DataMap, deps: FilterDeps): boolean {
    const tz = deps.timezone ?? 'Local';
    const now = deps.now ? deps.now() : Date.now();
    switch (this.base) {
      case '*empty':
      case '*exists': {
        let v: unknown;
        try {
          v = dynamicInterface(this.el.compileDynRule(dp), dp);
        } catch (e) {
          if (e instanceof NotFoundError) return this.base === '*empty';
          throw e;
        }
        return this.base === '*exists' ? true : isEmptyValue(v);
      }
      case '*rsr': {
        const el = this.elementValue(dp);
        if (el === undefined) return this.rsrFilters.map((f) => f.rule).join('') === '^$';
        return passAnyRSRFilter(this.rsrFilters, el);
      }
      case '*ai':
        return this.passActivationInterval(dp, tz, now);
    }
    const el = this.elementValue(dp);
    if (el === undefined) return false;
    switch (this.base) {
      case '*string':
        for (const v of this.values_(dp)) if (el === v) return true;
        return false;
      case '*contains':
        for (const v of this.values_(dp)) if (el.includes(v)) return true;
        return false;
      case '*prefix':
        for (const v of this.values_(dp)) if (el.startsWith(v)) return true;
        return false;
      case '*suffix':
        for (const v of this.values_(dp)) if (el.endsWith(v)) return true;
        return false;
      case '*regex':
        return this.regexes.some((re) => re.test(el));
      case '*ipnet':
        if (!isIP(el)) return false;
        return this.nets!.check(el, isIP(el) === 6 ? 'ipv6' : 'ipv4');
      case '*destinations': {
        if (!deps.destinationsFor) throw new FilterError('*destinations filter needs the destinations of the tariff plan (FilterService deps.destinationsFor)');
        const ids = new Set(deps.destinationsFor(el));
        for (const v of this.values_(dp)) if (ids.has(v)) return true;
        return false;
      }
      case '*timings': {
        if (!deps.timingActive) throw new FilterError('*timings filter needs the timings of the tariff plan (FilterService deps.timingActive)');
        const at = parseTime(el, tz, now);
        for (const v of this.values_(dp)) if (deps.timingActive(v, at) === true) return true;
        return false;
      }
      case '*eq': {
        const f = stringToTyped(el, tz, now);
        for (const v of this.values_(dp)) if (equalTo(f, stringToTyped(v, tz, now))) return true;
        return false;
      }
      default: {
        // *gt/*gte/*lt/*lte: compare as numbers (durations in ns) or times; other kinds are an error.
        const f = stringToTyped(el, tz, now);
        const orEqual = this.base === '*gte' || this.base === '*lt';
        for (const v of this.values_(dp)) {
          let gte: boolean;
          try {
            gte = greaterThan(f, stringToTyped(v, tz, now), orEqual);
          } catch (e) {
            throw new FilterError(`filter ${this.type}:${this.element}: ${(e as Error).message}`);
          }
          if ((this.base === '*gt' || this.base === '*gte') && gte) return true;
          if ((this.base === '*lt' || this.base === '*lte') && !gte) return true;
        }
        return false;
      }
    }
  }

  private passActivationInterval(dp: DataMap, tz: string, now: number): boolean {
    const el = this.elementValue(dp);
    if (el === undefined) return false;
    const t = parseTime(el, tz, now);
    const at = (p: RSRParser) => parseTime(p.parse(dp), tz, now);
    if (this.vals.length === 2) {
      const end = at(this.vals[1]!);
      if (!this.vals[0]) return t < end;
      return at(this.vals[0]) < t && t < end;
    }
    return at(this.vals[0]!) < t;
  }
}
