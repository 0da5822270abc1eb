export { SessionManager, AUTH_REQUEST_TYPES, PREPAID_TYPES, type SessionManagerOptions } from './manager.js';
export { applyLastUsed, planDebit, afterDebit, type ReserveState } from './reserve.js';
export { str, durationField, timeField, chargeStart } from './event.js';
export type { ChargingPort, DisconnectHandler, EventMap, ForkedRun, RunResult, Session, SessionRun, RequestType } from './types.js';
