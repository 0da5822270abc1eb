// What a dictionary holds: AVP definitions (name, code, vendor, base type, enumerations),
// commands and applications. Base types are RFC 6733's.

export const AVP_TYPES = [
  'OctetString', 'UTF8String', 'DiameterIdentity', 'DiameterURI', 'Address', 'Time',
  'Integer32', 'Integer64', 'Unsigned32', 'Unsigned64', 'Float32', 'Float64', 'Enumerated', 'Grouped',
] as const;
export type AvpType = (typeof AVP_TYPES)[number];

export interface AvpDef {
  name: string;
  code: number;
  vendorId: number;
  type: AvpType;
  /** The M bit this AVP is sent with. */
  mandatory: boolean;
  /** Enumerated values: code → name and name → code. */
  enumByCode?: Map<number, string>;
  enumByName?: Map<string, number>;
}

export interface CommandDef {
  code: number;
  name: string; // e.g. "Credit-Control"
}

export interface ApplicationDef {
  id: number;
  name: string;
}

/** A dictionary text file line that does not parse: names the file and line. */
export class DictionaryError extends Error {}
