// The CGRateS filter language and the data-provider paths shared by attributes, chargers, export and agents.
export { FilterService, compileFilter, compileInlineFilter, isActiveAt, type CompiledFilter } from './service.js';
export { FilterRule, FilterError, FILTER_TYPES, type FilterDeps } from './rules.js';
export {
  splitPath, parsePath, lookupField, fieldAsInterface, fieldAsString, dynamicInterface, dynamicString,
  readPath, writePath, setField, removeField, NotFoundError, PathError, DYNAMIC_PREFIX, RESOLVE_PATH, type DataMap, type PathResolver,
} from './paths.js';
export { RSRParser, RSRError, parseRSRValues, splitRSRValues, parseAll, parseAllValue, goRegExp } from './rsr.js';
export { RSRFilter, passAnyRSRFilter } from './rsrfilter.js';
export { newConverter, newConverters, convert, ConverterError, type Converter } from './converters.js';
export {
  GoTime, GoDuration, ifaceAsString, stringToTyped, typedOf, greaterThan, equalTo, formatGoFloat,
  valueAsDuration, valueAsDecimal, IncomparableError, isMoney, type Typed,
} from './values.js';
export { formatGoTime, RFC3339 } from './gotime.js';
export { cloneEvent, cloneValue, eventDataProvider, type CGREvent } from './event.js';
export {
  compileTemplate, processTemplate, fieldTemplateFromRaw, AgentTemplateError, TEMPLATE_FIELD_TYPES, WRITABLE_PREFIXES,
  type FieldTemplate, type CompiledTemplate, type TemplateOptions, type ProcessContext,
} from './template.js';
export { ATTRIBUTE_TYPES, AttributeTypeError, compileAttributeValue, evaluateAttribute, type CompiledAttribute, type EvalContext } from './valuetypes.js';
