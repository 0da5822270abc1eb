// AttributeS: event alteration by AttributeProfiles (Attributes.csv).
export {
  AttributeService, AttributeError, inlineAttributeProfile, asServerError,
  type AttributeProcessOptions, type AttrSProcessEventReply, type AttributeServiceOptions,
} from './service.js';
export { ATTRIBUTE_TYPES, AttributeTypeError, compileAttributeValue, evaluateAttribute, type CompiledAttribute } from '../filters/index.js';
