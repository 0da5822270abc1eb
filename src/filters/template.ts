// Agent templates: CGRateS's FCTemplate processing for agents' request_fields / reply_fields.
// Each field reads the data providers (`~*req.X`, `~*vars.Y`, `~*cgrep.MaxUsage` ...) through the
// RSR language of this folder and writes its value at its path (`*cgreq.Account`,
// `*rep.Granted-Service-Unit.CC-Time`) into the same nested map, so later fields can read what
// earlier ones wrote. Field order is kept: a Diameter answer is built from the map in order.
import { Money, roundMoney } from '../util/money.js';
import { parseTime } from '../util/time.js';
// Value types shared with AttributeS (*sum, *usage_difference, *cc_usage ...): one implementation.
import { compileAttributeValue, evaluateAttribute, type CompiledAttribute } from './valuetypes.js';
import { formatGoTime, RFC3339 } from './gotime.js';
import { NotFoundError, parsePath, removeField, setField, lookupField, type DataMap } from './paths.js';
import { parseAll, parseAllValue, parseRSRValues, type RSRParser } from './rsr.js';
import { compileInlineFilter, type CompiledFilter, type FilterService } from './service.js';
import { ifaceAsString } from './values.js';

/** One template field, as configured (CGRateS's FCTemplate, snake_case keys in JSON). */
export interface FieldTemplate {
  tag: string;
  path: string;
  type: string;
  value: string;
  filters: string[];
  mandatory?: boolean;
  /** Stop processing the template after this field (when its filters passed). */
  blocker?: boolean;
  layout?: string;
  timezone?: string;
  rounding_decimals?: number;
}

export const TEMPLATE_FIELD_TYPES = [
  '*constant', '*variable', '*composed', '*filler', '*usage_difference', '*sum', '*difference', '*multiply', '*divide',
  '*value_exponent', '*cc_usage', '*unix_timestamp', '*datetime', '*remove', '*removeall', '*none',
] as const;

/** The prefixes a template may write; reading is allowed from any provider in the map. */
export const WRITABLE_PREFIXES = ['*cgreq', '*cgrep', '*rep', '*diamreq', '*vars', '*tmp', '*opts', '*uch'] as const;

export class AgentTemplateError extends Error {}

type Raw = Record<string, unknown>;

const ATTRIBUTE_SHARED = new Set(['*usage_difference', '*sum', '*difference', '*multiply', '*divide', '*value_exponent', '*cc_usage', '*unix_timestamp']);

/** A field from config JSON; `where` names it in errors (e.g. `opensips_agent.request_fields[3]`). */
export function fieldTemplateFromRaw(raw: unknown, where: string): FieldTemplate {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AgentTemplateError(`${where}: a field must be an object`);
  const r = raw as Raw;
  const s = (k: string): string | undefined => (r[k] === undefined || r[k] === null ? undefined : String(r[k]));
  const type = s('type') ?? '*variable';
  const path = s('path') ?? '';
  const f: FieldTemplate = { tag: s('tag') ?? path, path, type, value: s('value') ?? '', filters: [] };
  if (r.filters !== undefined && r.filters !== null) {
    if (!Array.isArray(r.filters)) throw new AgentTemplateError(`${where} (${f.tag}): filters must be a list`);
    f.filters = r.filters.map(String);
  }
  if (r.mandatory !== undefined) f.mandatory = Boolean(r.mandatory);
  if (r.blocker !== undefined) f.blocker = Boolean(r.blocker);
  if (s('layout') !== undefined) f.layout = s('layout');
  if (s('timezone') !== undefined) f.timezone = s('timezone');
  if (r.rounding_decimals !== undefined && r.rounding_decimals !== null) {
    const n = Number(r.rounding_decimals);
    if (!Number.isInteger(n)) throw new AgentTemplateError(`${where} (${f.tag}): rounding_decimals must be an integer, have <${String(r.rounding_decimals)}>`);
    f.rounding_decimals = n;
  }
  return f;
}

interface CompiledField {
  spec: FieldTemplate;
  /** The output path split into segments (first is the prefix, e.g. `*cgreq`). */
  out: string[];
  values: RSRParser[];
  attr?: CompiledAttribute;
  /** Inline filters compiled once; profile IDs are resolved through FilterService at run time. */
  inline?: CompiledFilter[];
}

export interface CompiledTemplate {
  id: string;
  fields: CompiledField[];
}

export interface TemplateOptions {
  /** general.rsr_separator. */
  rsrSeparator?: string;
  /** Prefixes this template may write (default WRITABLE_PREFIXES). */
  writable?: readonly string[];
}

/** Compiles a template once; every problem names the template and the field's tag. */
export function compileTemplate(id: string, specs: readonly FieldTemplate[], opts: TemplateOptions = {}): CompiledTemplate {
  const sep = opts.rsrSeparator ?? ';';
  const writable = opts.writable ?? WRITABLE_PREFIXES;
  const fields = specs.map((spec, i) => {
    const where = `template ${id} field ${spec.tag || `#${i + 1}`}`;
    try {
      if (!(TEMPLATE_FIELD_TYPES as readonly string[]).includes(spec.type)) {
        throw new AgentTemplateError(`unsupported type <${spec.type}> (one of ${TEMPLATE_FIELD_TYPES.join(', ')})`);
      }
      if (spec.path === '') throw new AgentTemplateError('empty path');
      const out = parsePath(spec.path);
      if (spec.path.startsWith('~')) throw new AgentTemplateError(`path <${spec.path}> must not start with ~ (it is written, not read)`);
      if (!writable.includes(out[0])) throw new AgentTemplateError(`cannot write <${out[0]}> (writable: ${writable.join(', ')})`);
      if (spec.type !== '*removeall' && out.length < 2) throw new AgentTemplateError(`path <${spec.path}> names no field`);
      const noValue = spec.type === '*remove' || spec.type === '*removeall' || spec.type === '*none';
      const values = noValue ? [] : parseRSRValues(spec.value, sep);
      if (!noValue && values.length === 0) throw new AgentTemplateError('empty value');
      const attr = ATTRIBUTE_SHARED.has(spec.type) ? compileAttributeValue({ filterIds: [], path: spec.path, type: spec.type, value: spec.value }, sep) : undefined;
      const inline = spec.filters.every((f) => f.startsWith('*')) ? spec.filters.map((f) => compileInlineFilter('', f)) : undefined;
      return { spec, out, values, attr, inline };
    } catch (e) {
      throw new AgentTemplateError(`${where}: ${(e as Error).message}`);
    }
  });
  return { id, fields };
}

export interface ProcessContext {
  /** Needed when a field's filters name Filters.csv profiles. */
  filters?: FilterService;
  tenant?: string;
  /** general.default_timezone. */
  timezone?: string;
  /** general.rounding_decimals, for *value_exponent. */
  roundingDecimals?: number;
}

function passes(f: CompiledField, dp: DataMap, ctx: ProcessContext): boolean {
  if (f.spec.filters.length === 0) return true;
  if (f.inline && !ctx.filters) return f.inline.every((cf) => cf.rules.every((r) => r.pass(dp, { timezone: ctx.timezone ?? 'UTC' })));
  if (!ctx.filters) throw new AgentTemplateError(`field ${f.spec.tag}: filters ${f.spec.filters.join(',')} name profiles but no FilterService was given`);
  return ctx.filters.pass(ctx.tenant ?? '', f.spec.filters, dp);
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** The text a field produces (never undefined: absence surfaces as NotFoundError). */
function fieldValue(f: CompiledField, dp: DataMap, ctx: ProcessContext): string {
  const s = f.spec;
  const tz = s.timezone || ctx.timezone || 'UTC';
  switch (s.type) {
    case '*constant':
    case '*filler':
      return parseAllValue(f.values, '');
    case '*variable':
    case '*composed':
      return parseAll(f.values, dp);
    case '*datetime':
      return formatGoTime(parseTime(parseAll(f.values, dp), tz), s.layout || RFC3339, tz);
    default:
      return evaluateAttribute(f.attr!, dp, { timezone: tz, roundingDecimals: ctx.roundingDecimals ?? 5 });
  }
}

/**
 * Runs a template against `dp` (CGRateS's AgentRequest.SetFields): fields whose filters fail are
 * skipped, an absent source skips the field unless it is mandatory (then AgentTemplateError naming the
 * tag), empty values are not written, `*composed` appends to what the path holds, `*remove` deletes
 * it, a blocker stops the template. Output maps (`*cgreq` ...) are created in `dp` as needed.
 */
export function processTemplate(t: CompiledTemplate, dp: DataMap, ctx: ProcessContext = {}): DataMap {
  for (const f of t.fields) {
    const s = f.spec;
    if (!passes(f, dp, ctx)) continue;
    if (s.type === '*removeall') {
      dp[f.out[0]] = {};
    } else if (s.type === '*remove') {
      removeField(dp, f.out);
    } else if (s.type !== '*none') {
      let out: string;
      try {
        out = fieldValue(f, dp, ctx);
      } catch (e) {
        if (e instanceof NotFoundError) {
          if (s.mandatory) throw new AgentTemplateError(`template ${t.id}: mandatory field ${s.tag} is missing (${e.path})`);
          continue;
        }
        throw new AgentTemplateError(`template ${t.id} field ${s.tag}: ${(e as Error).message}`);
      }
      if (s.rounding_decimals !== undefined && NUMERIC.test(out)) out = roundMoney(new Money(out), s.rounding_decimals, '*middle').toFixed();
      if (out === '') {
        if (s.mandatory) throw new AgentTemplateError(`template ${t.id}: mandatory field ${s.tag} is empty`);
      } else if (s.type === '*composed') {
        const prev = lookupField(dp, f.out);
        setField(dp, f.out, (prev.found ? ifaceAsString(prev.value) : '') + out);
      } else {
        setField(dp, f.out, out);
      }
    }
    if (s.blocker) break;
  }
  return dp;
}
