// A small error hierarchy with CGRateS's stable upper-snake codes on the wire.

/** A domain error whose message travels to JSON-RPC clients as is (e.g. `NOT_FOUND`, `SERVER_ERROR: ...`). */
export class AccurateError extends Error {
  constructor(message: string, readonly code: string = message) {
    super(message);
    this.name = 'AccurateError';
  }
}

export const ERR = {
  NOT_FOUND: 'NOT_FOUND',
  MANDATORY_IE_MISSING: 'MANDATORY_IE_MISSING',
  UNAUTHORIZED_DESTINATION: 'UNAUTHORIZED_DESTINATION',
  INSUFFICIENT_CREDIT: 'INSUFFICIENT_CREDIT',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  RATING_PLAN_NOT_FOUND: 'RATING_PLAN_NOT_FOUND',
  EXISTS: 'EXISTS',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  SERVER_ERROR: 'SERVER_ERROR',
} as const;

/** `MANDATORY_IE_MISSING: [Tenant Account]`, as CGRateS names missing fields. */
export function mandatoryMissing(fields: string[]): AccurateError {
  return new AccurateError(`${ERR.MANDATORY_IE_MISSING}: [${fields.join(' ')}]`, ERR.MANDATORY_IE_MISSING);
}

/** Exit-code bearing error for the CLI layer: printed as one line, no stack. */
export class ExitError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'ExitError';
  }
}
