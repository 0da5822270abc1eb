// The OpenSIPS agent: event_datagram in, SessionS calls, MI back (and later the `cgrates` module's BiRPC).
export { OpenSipsAgent, OPENSIPS_CLIENT_ID, type OpenSipsAgentOptions, type AgentCounters } from './agent.js';
export { parseDatagram, DatagramError, MAX_DATAGRAM_BYTES, type OsipsEvent, type OsipsValue } from './datagram.js';
export { actionOf, compileRequestFields, compileRequestProcessors, toCGREvent, DEFAULT_REQUEST_FIELDS, CONSUMED_EVENTS, type CallAction, type RequestProcessor } from './events.js';
export { MiClient, MiError, type MiClientOptions } from './mi.js';
export { registerOpenSipsApi } from './api.js';
export { BiRpcServer, type BiRpcOptions } from './birpc.js';
