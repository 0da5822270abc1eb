// Evaluating a template's fields against one CDR.
import { Money, roundMoney, type Money as MoneyT } from '../util/money.js';
import { parseTimeParts } from '../util/time.js';
import {
  FilterService, parseRSRValues, parseAll, parseAllValue, formatGoTime, RFC3339, NotFoundError, type DataMap, type RSRParser,
} from '../filters/index.js';
import { compileAttributeValue, evaluateAttribute, type CompiledAttribute } from '../attributes/index.js';
import { TemplateError, type ExportFieldSpec, type ExportTemplate } from './template.js';

export interface CompiledField {
  spec: ExportFieldSpec;
  values: RSRParser[];
  /** Types shared with AttributeS (*sum, *usage_difference ...). */
  attr?: CompiledAttribute;
}

const ATTRIBUTE_SHARED = new Set(['*usage_difference', '*sum', '*difference', '*multiply', '*divide', '*value_exponent', '*unix_timestamp']);

export function compileFields(t: ExportTemplate, specs: readonly ExportFieldSpec[], rsrSep = ';'): CompiledField[] {
  return specs.map((spec) => {
    try {
      const values = spec.type === '*masked_destination' ? [] : parseRSRValues(spec.value, rsrSep);
      const attr = ATTRIBUTE_SHARED.has(spec.type) ? compileAttributeValue({ filterIds: [], path: spec.path, type: spec.type, value: spec.value }, rsrSep) : undefined;
      return { spec, values, attr };
    } catch (e) {
      throw new TemplateError(`template ${t.id} field ${spec.tag}: ${(e as Error).message}`);
    }
  });
}

export interface FieldContext {
  template: ExportTemplate;
  tenant: string;
  filters: FilterService;
  timezone: string;
  roundingDecimals: number;
  destinationsFor?: (number: string) => string[];
}

/** CGRateS's MaskSuffix: the last `len` characters become `*`. */
export function maskSuffix(dest: string, len: number): string {
  if (len < 0) return dest;
  const n = Math.min(len, dest.length);
  return dest.slice(0, dest.length - n) + '*'.repeat(n);
}

function fitWidth(f: ExportFieldSpec, out: string): string {
  const width = f.width ?? 0;
  if (width <= 0) return out;
  if (out.length > width) {
    if (f.strip === '*right' || f.strip === 'right') return out.slice(0, width);
    if (f.strip === '*left' || f.strip === 'left') return out.slice(out.length - width);
    throw new TemplateError(`field ${f.tag}: value "${out}" is longer than its width ${width} and strip is not set`);
  }
  const pad = f.padding ?? (f.type === '*filler' ? '*right' : '');
  if (pad === '*left' || pad === 'left') return out.padStart(width, ' ');
  if (pad === '*zeroleft' || pad === 'zeroleft') return out.padStart(width, '0');
  if (pad === '*right' || pad === 'right') return out.padEnd(width, ' ');
  return out;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * One field's text, or undefined when its filters fail or its source field is absent (and it is
 * not mandatory); an absent mandatory field throws.
 */
export function evaluateField(f: CompiledField, dp: DataMap, ctx: FieldContext): string | undefined {
  const s = f.spec;
  if (s.filters.length > 0 && !ctx.filters.pass(ctx.tenant, s.filters, dp)) return undefined;
  const tz = s.timezone || ctx.timezone;
  let out: string;
  try {
    switch (s.type) {
      case '*none':
        out = '';
        break;
      case '*constant':
      case '*filler':
        out = parseAllValue(f.values, '');
        break;
      case '*variable':
      case '*composed':
        out = parseAll(f.values, dp);
        break;
      case '*datetime': {
        const text = parseAll(f.values, dp);
        // nanoseconds kept for layouts that print them (.000000000, .999999999)
        const t = parseTimeParts(text, tz);
        out = formatGoTime(t.ms, s.layout || RFC3339, tz, t.subNs);
        break;
      }
      case '*masked_destination': {
        const req = dp['*req'] as DataMap;
        const dst = String(req.Destination ?? '');
        const id = s.maskDestinationId ?? ctx.template.maskDestinationId;
        const len = s.maskLength ?? ctx.template.maskLength;
        out = dst;
        if (id && len > 0) {
          if (!ctx.destinationsFor) throw new TemplateError(`field ${s.tag}: destination masking needs the tariff plan's destinations`);
          if (ctx.destinationsFor(dst).includes(id)) out = maskSuffix(dst, len);
        }
        break;
      }
      default:
        out = evaluateAttribute(f.attr!, dp, { timezone: tz, roundingDecimals: ctx.roundingDecimals });
    }
  } catch (e) {
    if (e instanceof NotFoundError) {
      if (s.mandatory) throw new TemplateError(`field ${s.tag}: mandatory value ${e.path} is missing`);
      return undefined;
    }
    throw e;
  }
  if (s.roundingDecimals !== undefined && s.roundingDecimals >= 0 && NUMERIC.test(out)) {
    out = roundMoney(new Money(out), s.roundingDecimals, '*middle').toFixed(s.roundingDecimals);
  }
  return fitWidth(s, out);
}

/** The Cost as the template exports it: × cost_multiply_factor, shifted, rounded; −1 (not rated) stays −1. */
export function exportedCost(cost: MoneyT, t: ExportTemplate): MoneyT {
  if (cost.eq(-1)) return cost;
  let c = cost.times(t.costMultiplyFactor);
  if (t.costShiftDigits !== 0) c = c.times(new Money(10).pow(t.costShiftDigits));
  if (t.costRoundingDecimals >= 0) c = roundMoney(c, t.costRoundingDecimals, '*middle');
  return c;
}
