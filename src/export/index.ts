// CDR export: templates (ees exporters, legacy cdre) and the CSV writer.
export {
  templateFromExporter, templateFromCdre, findTemplate, DEFAULT_FIELDS, FIELD_TYPES, TemplateError, DEFAULT_EXPORT_PATH,
  type ExportTemplate, type ExportFieldSpec,
} from './template.js';
export { compileFields, evaluateField, exportedCost, maskSuffix, type CompiledField, type FieldContext } from './fields.js';
export { exportCDRs, newExportId, ExportPathError, type ExportOptions, type ExportResult } from './csv.js';
export { exportStoredCDRs, needsDestinations, type StoredExportOptions } from './stored.js';
