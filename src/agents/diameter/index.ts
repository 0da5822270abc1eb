// The Diameter agent: RFC 6733 peers and RFC 4006 Credit-Control / RFC 6733 accounting requests
// mapped to SessionS through configurable request processors.
export { DiameterAgent, mapToAvps, type DiameterAgentConfig, type DiameterAgentDeps } from './agent.js';
export { compileProcessors, processRequest, PROCESSOR_FLAGS, ProcessorConfigError, type RequestProcessor, type SessionsPort } from './processors.js';
export { Peer, CMD, APP, type LocalIdentity, type PeerState, type RequestHandler } from './peer.js';
export { connectPeer, clientIdentity, type ConnectOptions } from './client.js';
export { Framer, FramingError, DEFAULT_MAX_MESSAGE } from './framing.js';
export * from './codec.js';
export { baseDictionary, Dictionary, DictionaryError, parseTextDictionary, type AvpDef, type AvpType } from './dictionary/index.js';
export { requestView, resolveAvpPath, findAvpsAtPath } from './request.js';
export { registerDiameterApi } from './api.js';
