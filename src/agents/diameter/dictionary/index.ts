// AVP dictionary: the `diameter` package's data (~2,000 AVPs incl. RFC 4006 and 3GPP 32.299)
// indexed once, plus freeDiameter/OpenSIPS text files. Lookups are map hits, never scans.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AvpDef, AvpType, ApplicationDef, CommandDef } from './types.js';
import { parseTextDictionary } from './text.js';
import { OPENSIPS_DICTIONARY } from './opensips.js';

export { AVP_TYPES, DictionaryError, type AvpDef, type AvpType, type ApplicationDef, type CommandDef } from './types.js';
export { parseTextDictionary, type TextDictionary } from './text.js';

const key = (code: number, vendorId: number) => vendorId * 2 ** 32 + code;

export class Dictionary {
  private readonly byCode = new Map<number, AvpDef>();
  private readonly byName = new Map<string, AvpDef>();
  private readonly commands = new Map<number, CommandDef>();
  private readonly applications = new Map<number, ApplicationDef>();

  /** Adds (or replaces) an AVP; a later definition of the same name or code wins. */
  addAvp(def: AvpDef, opts: { keepName?: boolean } = {}): void {
    this.byCode.set(key(def.code, def.vendorId), def);
    if (!(opts.keepName && this.byName.has(def.name))) this.byName.set(def.name, def);
  }

  addCommand(c: CommandDef): void {
    this.commands.set(c.code, c);
  }

  addApplication(a: ApplicationDef): void {
    this.applications.set(a.id, a);
  }

  avp(code: number, vendorId = 0): AvpDef | undefined {
    return this.byCode.get(key(code, vendorId));
  }

  avpByName(name: string): AvpDef | undefined {
    return this.byName.get(name);
  }

  command(code: number): CommandDef | undefined {
    return this.commands.get(code);
  }

  application(id: number): ApplicationDef | undefined {
    return this.applications.get(id);
  }

  get size(): number {
    return this.byCode.size;
  }

  /** An independent copy (the maps, not the shared, never mutated definitions). */
  clone(): Dictionary {
    const d = new Dictionary();
    for (const [k, v] of this.byCode) d.byCode.set(k, v);
    for (const [k, v] of this.byName) d.byName.set(k, v);
    for (const [k, v] of this.commands) d.commands.set(k, v);
    for (const [k, v] of this.applications) d.applications.set(k, v);
    return d;
  }

  /** Loads one freeDiameter/OpenSIPS text dictionary (`ATTRIBUTE Name Code Type [Vendor]` ...). */
  loadText(text: string, source: string): void {
    const d = parseTextDictionary(text, source);
    for (const a of d.avps) {
      // A text file that names a type we already know better (e.g. `unsigned32` for an Enumerated) keeps our enums.
      const prev = this.avp(a.code, a.vendorId);
      if (prev?.enumByCode && (a.type === 'Unsigned32' || a.type === 'Integer32')) {
        this.addAvp({ ...a, type: prev.type, enumByCode: prev.enumByCode, enumByName: prev.enumByName });
      } else this.addAvp(a);
    }
    for (const c of d.commands) if (!this.commands.has(c.code)) this.addCommand(c);
    for (const app of d.applications) this.addApplication(app);
  }

  /** Loads every regular file in a folder (sorted), as CGRateS's dictionaries_path. */
  loadFolder(dir: string): string[] {
    const files = readdirSync(dir).sort().map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
    for (const f of files) this.loadText(readFileSync(f, 'utf8'), f);
    return files;
  }
}

interface PackageAvp {
  code: number;
  name: string;
  vendorId: number;
  type?: string;
  flags: { mandatory: boolean };
  enums?: { code: number; name: string }[];
}

// Types the package data gets wrong or leaves out (Failed-AVP has none; it is Grouped per RFC 6733).
const TYPE_FIXES: Record<string, AvpType> = {
  'Failed-AVP': 'Grouped',
  'Service-Generic-Information': 'Grouped',
  'Origin-Host': 'DiameterIdentity', 'Origin-Realm': 'DiameterIdentity',
  'Destination-Host': 'DiameterIdentity', 'Destination-Realm': 'DiameterIdentity',
  'Route-Record': 'DiameterIdentity', 'Error-Reporting-Host': 'DiameterIdentity',
  'Product-Name': 'UTF8String', 'Error-Message': 'UTF8String', 'Session-Id': 'UTF8String', 'User-Name': 'UTF8String',
  'Service-Context-Id': 'UTF8String', 'Subscription-Id-Data': 'UTF8String',
  'Calling-Party-Address': 'UTF8String', 'Called-Party-Address': 'UTF8String',
};

function packageType(a: PackageAvp): AvpType {
  const fixed = TYPE_FIXES[a.name];
  if (fixed && a.vendorId === 0) return fixed;
  if (fixed && (a.name === 'Calling-Party-Address' || a.name === 'Called-Party-Address')) return fixed;
  if (a.type === 'IPAddress') return 'Address';
  if (a.enums?.length && a.type === 'Integer32') return 'Enumerated';
  return (a.type as AvpType | undefined) ?? 'OctetString';
}

let base: Dictionary | undefined;

/** The package's data, read and indexed once per process; callers get their own copy to extend. */
export function baseDictionary(): Dictionary {
  if (!base) {
    const require = createRequire(import.meta.url);
    const data = require('diameter/dictionary.json') as {
      applications: { code: number; name: string }[];
      commands: { code: number; name: string }[];
      avps: PackageAvp[];
    };
    const d = new Dictionary();
    // Vendor 0 first so that a bare name means the IETF AVP when a vendor reuses the name.
    const avps = [...data.avps].sort((a, b) => (a.vendorId === 0 ? 0 : 1) - (b.vendorId === 0 ? 0 : 1));
    for (const a of avps) {
      if (a.name === 'Not defined in .xml') continue;
      const def: AvpDef = { name: a.name, code: a.code, vendorId: a.vendorId, type: packageType(a), mandatory: a.flags.mandatory };
      if (a.enums?.length) {
        def.enumByCode = new Map(a.enums.map((e) => [e.code, e.name]));
        def.enumByName = new Map(a.enums.map((e) => [e.name, e.code]));
      }
      d.addAvp(def, { keepName: true });
    }
    for (const c of data.commands) if (!d.command(c.code)) d.addCommand({ code: c.code, name: c.name });
    for (const a of data.applications) d.addApplication({ id: a.code, name: a.name });
    d.loadText(OPENSIPS_DICTIONARY, 'opensips (built in)');
    base = d;
  }
  return base.clone();
}
