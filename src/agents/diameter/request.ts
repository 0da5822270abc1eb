// The `*req` of a Diameter request as templates and filters read it, with CGRateS's path rules:
// a path finds every AVP along it (repeated groups included, in message order) and takes the
// first, unless its last segment selects one: `[n]` by position, `[~Sibling(filter)]` by the
// value of a sibling AVP in the same group (`|` joins selectors that must all hold, `&` filters
// that must all pass), e.g. `Subscription-Id.Subscription-Id-Data[~Subscription-Id-Type(0)]`.
import { PathError, RESOLVE_PATH, RSRFilter, RSRParser, type DataMap, type PathResolver } from '../../filters/index.js';
import { avpString, avpsToMap, type Avp } from './codec.js';

/** The map view (first instance wins, as before) that also resolves paths over the whole AVP tree. */
export function requestView(avps: readonly Avp[]): DataMap {
  const view = avpsToMap(avps);
  const resolve: PathResolver = (rest) => resolveAvpPath(avps, rest);
  Object.defineProperty(view, RESOLVE_PATH, { value: resolve, enumerable: false });
  return view;
}

/** Every AVP at `names` under `avps`, depth first in message order (CGRateS FindAVPsWithPath). */
export function findAvpsAtPath(avps: readonly Avp[], names: readonly string[]): Avp[] {
  const out: Avp[] = [];
  const walk = (list: readonly Avp[], depth: number): void => {
    for (const a of list) {
      if (a.def?.name !== names[depth]) continue;
      if (depth === names.length - 1) out.push(a);
      else if (a.children) walk(a.children, depth + 1);
    }
  };
  if (names.length > 0) walk(avps, 0);
  return out;
}

const valueOf = (a: Avp): unknown => (a.children ? avpsToMap(a.children) : avpString(a));

function splitSelector(seg: string): { name: string; selector?: string } {
  const open = seg.indexOf('[');
  if (open < 0) return { name: seg };
  if (!seg.endsWith(']')) throw new PathError(`selector "${seg.slice(open)}" must end in ]`);
  return { name: seg.slice(0, open), selector: seg.slice(open + 1, -1) };
}

export function resolveAvpPath(avps: readonly Avp[], path: readonly string[]): { found: boolean; value?: unknown } {
  if (path.length === 0) return { found: false };
  const { name, selector } = splitSelector(path[path.length - 1]);
  const names = [...path.slice(0, -1), name];
  const found = findAvpsAtPath(avps, names);
  if (found.length === 0) return { found: false };
  let idx = 0;
  if (selector !== undefined && selector !== '') {
    if (/^\d+$/.test(selector)) idx = Number(selector);
    else {
      const picked = selectBySiblings(avps, names, found.length, selector);
      if (picked < 0) return { found: false };
      idx = picked;
    }
  }
  if (idx >= found.length) throw new PathError(`AVP index ${idx} in "${path.join('.')}" but the request has ${found.length} ${name} AVP(s)`);
  return { found: true, value: valueOf(found[idx]) };
}

/**
 * The first position where every selector's sibling passes its filters. A selector's sibling is
 * looked for with the same path but its own last name, climbing towards the root until found;
 * siblings and targets must pair up one to one, or nothing is selected.
 */
function selectBySiblings(avps: readonly Avp[], names: readonly string[], count: number, selector: string): number {
  const parts = selector.split('|');
  const hits = new Array<number>(count).fill(0);
  for (const part of parts) {
    let rule = part;
    let filters: RSRFilter[] = [];
    if (rule.endsWith(')')) {
      const open = rule.indexOf('(');
      if (open < 1) throw new PathError(`selector "${part}" has no field before its (filter)`);
      filters = rule.slice(open + 1, -1).split('&').filter((f) => f !== '').map((f) => new RSRFilter(f));
      rule = rule.slice(0, open);
    }
    const parser = new RSRParser(rule);
    let siblings: Avp[] = [];
    for (let i = names.length - 1; i > 0 && siblings.length === 0; i--) siblings = findAvpsAtPath(avps, [...names.slice(0, i), parser.attrName]);
    if (siblings.length === 0 || siblings.length !== count) return -1;
    siblings.forEach((s, k) => {
      const v = parser.parseValue(valueOf(s));
      if (filters.every((f) => f.pass(v))) hits[k]++;
    });
  }
  return hits.findIndex((n) => n === parts.length);
}
