// The *rsr filter's value syntax: `~regex`, `^prefix`, `suffix$`, `^exact$`, `^$` (empty),
// `>=N`, `<=N`, `>N`, `<N`, a leading `!` negates, anything else is "contains".
import { goRegExp } from './rsr.js';
import { greaterThan, stringToTyped } from './values.js';

export class RSRFilter {
  readonly rule: string;
  private readonly negative: boolean;
  private readonly re?: RegExp;

  constructor(value: string) {
    let v = value;
    this.negative = v.startsWith('!');
    if (this.negative) v = v.slice(1);
    this.rule = v;
    if (v.startsWith('~')) this.re = goRegExp(v.slice(1));
  }

  pass(val: string): boolean {
    const r = this.rule;
    const neg = this.negative;
    if (r === '') return !neg;
    if (this.re) return this.re.test(val) !== neg;
    if (r === '^$') return (val.length === 0) !== neg;
    if (r.startsWith('^')) {
      if (r.endsWith('$')) return (val === r.slice(1, -1)) !== neg;
      return val.startsWith(r.slice(1)) !== neg;
    }
    if (r.endsWith('$')) return val.endsWith(r.slice(0, -1)) !== neg;
    const cmp = (a: string, b: string, orEqual: boolean): boolean => {
      try {
        return greaterThan(stringToTyped(a), stringToTyped(b), orEqual) !== neg;
      } catch {
        return false; // incomparable values never pass, as CGRateS (which logs a warning)
      }
    };
    if (r.length > 2 && r.startsWith('>=')) return cmp(val, r.slice(2), true);
    if (r.length > 2 && r.startsWith('<=')) return cmp(r.slice(2), val, true);
    if (r.startsWith('>')) return cmp(val, r.slice(1), false);
    if (r.startsWith('<')) return cmp(r.slice(1), val, false);
    return val.includes(r) !== neg;
  }
}

/** Any of the filters passing is enough (CGRateS's RSRFilters.Pass with allMustMatch false). */
export function passAnyRSRFilter(filters: readonly RSRFilter[], val: string): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => f.pass(val));
}
