// Export templates: CGRateS's `ees.exporters[]` (type *file_csv) and the legacy `cdre` templates,
// normalised into one shape and checked up front (an unknown field type names template and tag).

export interface ExportFieldSpec {
  tag: string;
  /** `*exp.Name` (a column), `*hdr.Name` (header row), `*trl.Name` (trailer row). */
  path: string;
  type: string;
  value: string;
  layout?: string;
  timezone?: string;
  filters: string[];
  maskDestinationId?: string;
  maskLength?: number;
  roundingDecimals?: number;
  width?: number;
  padding?: string;
  strip?: string;
  mandatory?: boolean;
}

export interface ExportTemplate {
  id: string;
  type: string;
  exportPath: string;
  fieldSeparator: string;
  timezone: string;
  /** Exporter filters: a CDR failing them is skipped. */
  filters: string[];
  costMultiplyFactor: number;
  /** −1: no rounding; else the Cost is rounded (*middle) and printed with exactly this many decimals. */
  costRoundingDecimals: number;
  costShiftDigits: number;
  maskDestinationId: string;
  maskLength: number;
  header: ExportFieldSpec[];
  fields: ExportFieldSpec[];
  trailer: ExportFieldSpec[];
}

export const FIELD_TYPES = [
  '*constant', '*variable', '*composed', '*filler', '*datetime', '*usage_difference', '*masked_destination', '*sum',
  '*difference', '*multiply', '*divide', '*value_exponent', '*unix_timestamp', '*none',
] as const;

export class TemplateError extends Error {}

export const DEFAULT_EXPORT_PATH = '/var/spool/accurate/ees';
const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** CGRateS's default CDR columns. */
export const DEFAULT_FIELDS: readonly ExportFieldSpec[] = [
  'CGRID', 'RunID', 'ToR', 'OriginID', 'RequestType', 'Tenant', 'Category', 'Account', 'Subject', 'Destination',
  'SetupTime', 'AnswerTime', 'Usage', 'Cost',
].map((f) => ({
  tag: f, path: `*exp.${f}`, type: '*variable', value: `~*req.${f}`, filters: [],
  ...(f.endsWith('Time') ? { layout: RFC3339 } : {}),
}));

type Raw = Record<string, unknown>;

function str(v: unknown, d = ''): string {
  return v === undefined || v === null ? d : String(v);
}

function num(v: unknown, d: number, where: string): number {
  if (v === undefined || v === null || v === '') return d;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new TemplateError(`${where}: "${String(v)}" is not a number`);
  return n;
}

function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  return Array.isArray(v) ? v.map(String) : String(v).split(';').filter(Boolean);
}

function fieldFromRaw(raw: Raw, where: string): ExportFieldSpec {
  const type = str(raw.type);
  const tag = str(raw.tag, str(raw.path));
  if (!(FIELD_TYPES as readonly string[]).includes(type)) {
    throw new TemplateError(`${where} field ${tag || '?'}: unsupported type "${type}" (use one of ${FIELD_TYPES.join(', ')})`);
  }
  const f: ExportFieldSpec = { tag, path: str(raw.path, `*exp.${tag}`), type, value: str(raw.value), filters: list(raw.filters) };
  if (raw.layout !== undefined) f.layout = str(raw.layout);
  if (raw.timezone !== undefined && raw.timezone !== '') f.timezone = str(raw.timezone);
  // CGRateS spells the key `mask_destinationd_id`; accept the plain spelling too.
  const mask = raw.mask_destinationd_id ?? raw.mask_destination_id;
  if (mask !== undefined && mask !== '') f.maskDestinationId = str(mask);
  if (raw.mask_length !== undefined) f.maskLength = num(raw.mask_length, 0, `${where} field ${tag} mask_length`);
  if (raw.rounding_decimals !== undefined && raw.rounding_decimals !== null) f.roundingDecimals = num(raw.rounding_decimals, 0, `${where} field ${tag} rounding_decimals`);
  if (raw.width !== undefined) f.width = num(raw.width, 0, `${where} field ${tag} width`);
  if (raw.padding !== undefined) f.padding = str(raw.padding);
  if (raw.strip !== undefined) f.strip = str(raw.strip);
  if (raw.mandatory !== undefined) f.mandatory = Boolean(raw.mandatory);
  return f;
}

function separator(raw: Raw, where: string): string {
  const opts = (raw.opts ?? {}) as Raw;
  const sep = str(opts.csvFieldSeparator ?? raw.field_separator, ',');
  if (sep.length !== 1) throw new TemplateError(`${where}: field_separator must be one character, have "${sep}"`);
  return sep;
}

/** An `ees.exporters[]` entry. Fields with path `*hdr.`/`*trl.` make the header/trailer rows. */
export function templateFromExporter(raw: Raw): ExportTemplate {
  const id = str(raw.id, '*default');
  const where = `ees exporter ${id}`;
  const type = str(raw.type, '*file_csv');
  if (type !== '*file_csv') throw new TemplateError(`${where}: type ${type} is not supported, AccuRate exports *file_csv`);
  const rawFields = Array.isArray(raw.fields) ? (raw.fields as Raw[]) : [];
  const all = rawFields.length > 0 ? rawFields.map((f) => fieldFromRaw(f, where)) : DEFAULT_FIELDS.map((f) => ({ ...f }));
  return {
    id, type, exportPath: str(raw.export_path, DEFAULT_EXPORT_PATH), fieldSeparator: separator(raw, where),
    timezone: str(raw.timezone), filters: list(raw.filters),
    costMultiplyFactor: num(raw.cost_multiply_factor, 1, `${where} cost_multiply_factor`),
    costRoundingDecimals: num(raw.cost_rounding_decimals, -1, `${where} cost_rounding_decimals`),
    costShiftDigits: num(raw.cost_shift_digits, 0, `${where} cost_shift_digits`),
    maskDestinationId: str(raw.mask_destination_id), maskLength: num(raw.mask_length, 0, `${where} mask_length`),
    header: all.filter((f) => f.path.startsWith('*hdr.')),
    fields: all.filter((f) => !f.path.startsWith('*hdr.') && !f.path.startsWith('*trl.')),
    trailer: all.filter((f) => f.path.startsWith('*trl.')),
  };
}

/** Legacy (2015) `cdrfield` ids → the CDR field they name. */
const LEGACY_IDS: Record<string, string> = {
  cgrid: 'CGRID', mediation_runid: 'RunID', runid: 'RunID', run_id: 'RunID', tor: 'ToR', accid: 'OriginID', cdrhost: 'OriginHost',
  cdrsource: 'Source', reqtype: 'RequestType', tenant: 'Tenant', category: 'Category', account: 'Account', subject: 'Subject',
  destination: 'Destination', setup_time: 'SetupTime', answer_time: 'AnswerTime', usage: 'Usage', cost: 'Cost', order_id: 'OrderID',
  supplier: 'Supplier', disconnect_cause: 'DisconnectCause', cost_source: 'CostSource', extra_info: 'ExtraInfo',
};

function legacyField(raw: Raw, where: string): ExportFieldSpec {
  const type = str(raw.type);
  const tag = str(raw.tag);
  const value = str(raw.value);
  const base = { tag, path: `*exp.${tag}`, filters: [] as string[], ...(raw.width !== undefined ? { width: Number(raw.width) } : {}) };
  switch (type) {
    case 'cdrfield':
    case '*cdrfield':
    case 'datetime':
    case '*datetime': {
      const id = value.startsWith('~') ? value.slice(1) : value;
      const field = LEGACY_IDS[id] ?? id;
      if (field === 'direction' || id === 'direction') return { ...base, type: '*constant', value: '*out' };
      if (field === 'SetupTime' || field === 'AnswerTime' || type.endsWith('datetime')) {
        return { ...base, type: '*datetime', value: `~*req.${field}`, layout: str(raw.layout, RFC3339) };
      }
      // 2015 exports printed voice usage in seconds.
      if (field === 'Usage') return { ...base, type: '*variable', value: '~*req.Usage{*duration_seconds}' };
      if (field === 'Destination') return { ...base, type: '*masked_destination', value: '~*req.Destination' };
      return { ...base, type: '*variable', value: `~*req.${field}` };
    }
    case 'constant':
    case '*constant':
      return { ...base, type: '*constant', value };
    case 'filler':
    case '*filler':
      return { ...base, type: '*filler', value };
    default:
      // Newer cdre templates already use *composed / *variable with ~Field values.
      if ((FIELD_TYPES as readonly string[]).includes(type)) {
        return fieldFromRaw({ ...raw, value: value.replace(/(^|;)~(?!\*)/g, '$1~*req.') }, where);
      }
      throw new TemplateError(`${where} field ${tag || '?'}: unsupported legacy type "${type}"`);
  }
}

/** A legacy `cdre` template (2015 `content_fields` or later `fields`). */
export function templateFromCdre(id: string, raw: Raw): ExportTemplate {
  const where = `cdre template ${id}`;
  const format = str(raw.cdr_format ?? raw.export_format, 'csv').replace(/^\*file_/, '').replace(/^\*/, '');
  if (format !== 'csv') throw new TemplateError(`${where}: cdr_format ${format} is not supported, AccuRate exports csv`);
  const content = (raw.content_fields ?? raw.fields ?? []) as Raw[];
  const header = (raw.header_fields ?? []) as Raw[];
  const trailer = (raw.trailer_fields ?? []) as Raw[];
  return {
    id, type: '*file_csv', exportPath: str(raw.export_dir ?? raw.export_path, DEFAULT_EXPORT_PATH), fieldSeparator: separator(raw, where),
    timezone: str(raw.timezone), filters: list(raw.filters),
    costMultiplyFactor: num(raw.cost_multiply_factor, 1, `${where} cost_multiply_factor`),
    costRoundingDecimals: num(raw.cost_rounding_decimals, -1, `${where} cost_rounding_decimals`),
    costShiftDigits: num(raw.cost_shift_digits, 0, `${where} cost_shift_digits`),
    maskDestinationId: str(raw.mask_destination_id), maskLength: num(raw.mask_length, 0, `${where} mask_length`),
    header: header.map((f) => legacyField(f, where)),
    fields: content.length > 0 ? content.map((f) => legacyField(f, where)) : DEFAULT_FIELDS.map((f) => ({ ...f })),
    trailer: trailer.map((f) => legacyField(f, where)),
  };
}

/** The template named `name` (default `*default`): an ees exporter id first, then a cdre template. */
export function findTemplate(config: { ees?: { exporters?: unknown[] }; cdre?: Record<string, unknown> }, name = '*default'): ExportTemplate {
  const exporters = (config.ees?.exporters ?? []) as Raw[];
  const ex = exporters.find((e) => str(e.id) === name);
  if (ex) return templateFromExporter(ex);
  const cdre = config.cdre ?? {};
  // Own keys only: "constructor" or "__proto__" is no template.
  if (Object.prototype.hasOwnProperty.call(cdre, name)) return templateFromCdre(name, cdre[name] as Raw);
  if (name === '*default') return templateFromExporter({ id: '*default' });
  const known = [...exporters.map((e) => str(e.id)), ...Object.keys(cdre)];
  throw new TemplateError(`no export template "${name}" (known: ${known.length ? known.join(', ') : 'none'}; define it under ees.exporters or cdre)`);
}
