// RSR values: a constant (`1001`), a reference (`~*req.Account`), with optional search-and-replace
// rules (`~*req.Destination:s/^\+49(\d+)/0${1}/`), converters (`{*duration_seconds}`) and
// dynamic path parts (`~*req.<~*req.FieldName>`). Several values joined by `;` concatenate.
import { convert, newConverters, type Converter } from './converters.js';
import { DYNAMIC_PREFIX, fieldAsInterface, parsePath, type DataMap } from './paths.js';
import { ifaceAsString } from './values.js';

export class RSRError extends Error {}

interface SearchReplace {
  re: RegExp;
  template: string;
}

/** Go regexp syntax → JavaScript: named groups `(?P<n>` and leading inline flags `(?i)`. */
export function goRegExp(src: string): RegExp {
  let flags = '';
  let body = src;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    for (const f of m[1]) if (f === 'i' || f === 'm' || f === 's') flags += f;
    body = body.slice(m[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (e) {
    throw new RSRError(`invalid regular expression <${src}>: ${(e as Error).message}`);
  }
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, match: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c !== '$' || i === template.length - 1) {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    if (template[i + 1] === '{') {
      const end = template.indexOf('}', i + 2);
      if (end < 0) {
        out += c;
        continue;
      }
      name = template.slice(i + 2, end);
      i = end;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (!m) {
        out += c;
        continue;
      }
      name = m[0];
      i += name.length;
    }
    const v = /^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name];
    out += v ?? '';
  }
  return out;
}

export class RSRParser {
  readonly rules: string;
  private path = '';
  /** The parsed path of a reference, once. */
  private segments?: string[];
  private searchReplace: SearchReplace[] = [];
  private converters: Converter[] = [];
  private dyn?: { start: number; end: number; parsers: RSRParser[] };

  constructor(rules: string) {
    this.rules = rules;
    const ds = rules.indexOf('<');
    if (ds >= 0) {
      const de = rules.indexOf('>', ds);
      if (de >= 0) {
        this.dyn = { start: ds, end: de + 1, parsers: parseRSRValues(rules.slice(ds + 1, de)) };
        return;
      }
    }
    let r = rules;
    const ci = r.indexOf('{*');
    if (ci >= 0) {
      if (!r.endsWith('}')) throw new RSRError(`invalid converter terminator in rule: <${rules}>`);
      this.converters = newConverters(r.slice(ci + 1, -1));
      r = r.slice(0, ci);
    }
    if (!r.startsWith(DYNAMIC_PREFIX) || r.length === 1) {
      this.path = r;
      return;
    }
    const parts = r.split(/:s\//);
    this.path = parts[0];
    try {
      this.segments = parsePath(this.path);
    } catch (e) {
      throw new RSRError(`${(e as Error).message} in <${rules}>`);
    }
    for (const part of parts.slice(1)) {
      // `regex/template/`: the last unescaped slashes delimit the template.
      const m = /^(.*[^\\])\/(.*[^\\])?\/$/.exec(part);
      if (!m) throw new RSRError(`not enough members in Search&Replace, rule: <${part}>`);
      this.searchReplace.push({ re: goRegExp(m[1]), template: m[2] ?? '' });
    }
  }

  /** The field name it reads (`~*req.Account` → `*req.Account`). */
  get attrName(): string {
    return this.path.startsWith(DYNAMIC_PREFIX) ? this.path.slice(1) : this.path;
  }

  get isDynamic(): boolean {
    return this.dyn !== undefined || (this.path.startsWith(DYNAMIC_PREFIX) && this.path !== DYNAMIC_PREFIX);
  }

  private finish(value: string): string {
    let v = value;
    for (const sr of this.searchReplace) {
      const m = sr.re.exec(v);
      if (m) v = expand(sr.template, m);
    }
    return convert(v, this.converters);
  }

  /** The value against a given input (constants ignore it), as RSRParser.ParseValue. */
  parseValue(input: unknown): string {
    const out = this.path !== DYNAMIC_PREFIX && this.path.startsWith(DYNAMIC_PREFIX) ? ifaceAsString(input) : this.path;
    return this.finish(out);
  }

  /** The value read from a data provider; throws NotFoundError when the field is absent. */
  parse(dp: DataMap): string {
    if (this.dyn) return this.resolveDynamic(dp).parse(dp);
    if (this.path.startsWith(DYNAMIC_PREFIX) && this.path !== DYNAMIC_PREFIX) {
      return this.finish(ifaceAsString(fieldAsInterface(dp, this.segments ?? parsePath(this.path))));
    }
    return this.finish(this.path);
  }

  /** The rule with dynamic parts filled in (for *exists / *empty). */
  compileDynRule(dp: DataMap): string {
    if (!this.dyn) return this.rules;
    return this.resolveDynamic(dp).rules;
  }

  private resolveDynamic(dp: DataMap): RSRParser {
    const d = this.dyn!;
    const inner = d.parsers.map((p) => p.parse(dp)).join('');
    return new RSRParser(this.rules.slice(0, d.start) + inner + this.rules.slice(d.end));
  }
}

/**
 * Splits a value list on `sep` (`;` by default, general.rsr_separator), keeping backtick-quoted
 * parts whole (`` `a;b` `` is one constant), and compiles each part.
 */
export function splitRSRValues(text: string, sep = ';'): string[] {
  if (text === '') return [];
  const ticks = (text.match(/`/g) ?? []).length;
  if (ticks % 2 !== 0) throw new RSRError(`unclosed backtick quote in <${text}>`);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') {
      quoted = !quoted;
      continue;
    }
    if (!quoted && text.startsWith(sep, i)) {
      out.push(cur);
      cur = '';
      i += sep.length - 1;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

export function parseRSRValues(text: string, sep = ';'): RSRParser[] {
  return splitRSRValues(text, sep).map((part) => {
    if (part === '') throw new RSRError(`empty value in <${text}>`);
    return new RSRParser(part);
  });
}

/** Several values concatenated (`*composed`, `*variable` with `;`). */
export function parseAll(parsers: readonly RSRParser[], dp: DataMap): string {
  let out = '';
  for (const p of parsers) out += p.parse(dp);
  return out;
}

export function parseAllValue(parsers: readonly RSRParser[], input: unknown): string {
  let out = '';
  for (const p of parsers) out += p.parseValue(input);
  return out;
}
