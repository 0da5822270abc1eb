// The freeDiameter/OpenSIPS text dictionary (aaa_diameter's extra-avps-file, CGRateS users' dictionary
// folders): `APPLICATION id Name`, `VENDOR id Name`, `ATTRIBUTE Name Code Type [Vendor]` with an
// optional `{ Child | REQUIRED | 1 }` block for grouped AVPs, and `REQUEST|ANSWER code Name { ... }`.
import { DictionaryError, type AvpDef, type AvpType, type ApplicationDef, type CommandDef } from './types.js';

export interface TextDictionary {
  avps: AvpDef[];
  commands: CommandDef[];
  applications: ApplicationDef[];
  vendors: Map<number, string>;
}

const TYPES: Record<string, AvpType> = {
  string: 'UTF8String', utf8string: 'UTF8String', octetstring: 'OctetString', hexstring: 'OctetString',
  integer: 'Integer32', integer32: 'Integer32', integer64: 'Integer64',
  unsigned32: 'Unsigned32', unsigned64: 'Unsigned64', float32: 'Float32', float64: 'Float64',
  grouped: 'Grouped', time: 'Time', address: 'Address', ipaddress: 'Address',
  diameteridentity: 'DiameterIdentity', diameteruri: 'DiameterURI', enumerated: 'Enumerated',
};

export function parseTextDictionary(text: string, source: string): TextDictionary {
  const out: TextDictionary = { avps: [], commands: [], applications: [], vendors: new Map() };
  let inBlock = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${source}:${i + 1}`;
    const line = lines[i].replace(/#.*$/, '').trim();
    if (line === '') continue;
    if (inBlock) {
      if (line.startsWith('}')) inBlock = false;
      continue; // rule lines (`Name | REQUIRED | 1`) describe grammar, not encoding
    }
    if (line === '{') {
      inBlock = true;
      continue;
    }
    const words = line.split(/\s+/);
    const kw = words[0].toUpperCase();
    const num = (w: string | undefined, what: string) => {
      if (w === undefined || !/^\d+$/.test(w)) throw new DictionaryError(`${where}: ${what} must be a number, got ${JSON.stringify(w ?? '')}`);
      return Number(w);
    };
    const opensBlock = line.endsWith('{');
    if (opensBlock) words[words.length - 1] = words[words.length - 1].replace(/\{$/, '');
    if (words[words.length - 1] === '') words.pop();
    switch (kw) {
      case 'APPLICATION':
        out.applications.push({ id: num(words[1], 'APPLICATION id'), name: words.slice(2).join(' ') });
        break;
      case 'VENDOR':
        out.vendors.set(num(words[1], 'VENDOR id'), words.slice(2).join(' '));
        break;
      case 'ATTRIBUTE': {
        if (words.length < 4) throw new DictionaryError(`${where}: expected "ATTRIBUTE Name Code Type [Vendor]", got "${line}"`);
        const type = TYPES[words[3].toLowerCase()];
        if (!type) throw new DictionaryError(`${where}: unknown AVP type "${words[3]}" (known: ${Object.keys(TYPES).join(', ')})`);
        out.avps.push({ name: words[1], code: num(words[2], 'AVP code'), type, vendorId: words[4] ? num(words[4], 'vendor id') : 0, mandatory: true });
        break;
      }
      case 'REQUEST':
      case 'ANSWER': {
        const code = num(words[1], `${kw} command code`);
        out.commands.push({ code, name: (words[2] ?? String(code)).replace(/-(Request|Answer)$/, '') });
        break;
      }
      default:
        throw new DictionaryError(`${where}: unknown keyword "${words[0]}" (expected APPLICATION, VENDOR, ATTRIBUTE, REQUEST or ANSWER)`);
    }
    if (opensBlock) inBlock = true;
  }
  if (inBlock) throw new DictionaryError(`${source}: a "{" block is not closed`);
  return out;
}
