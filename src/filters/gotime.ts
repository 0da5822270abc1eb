// Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`) for formatting instants, as export
// templates and the *datetime attribute write them.
import { wallClock } from '../util/time.js';

export const RFC3339 = '2006-01-02T15:04:05Z07:00';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

type Chunk = { lit: string } | { std: string; digits?: number; sep?: string };

const cache = new Map<string, Chunk[]>();

/** Splits a layout into literals and Go's standard chunks (the same precedence as Go's nextStdChunk). */
function tokenize(layout: string): Chunk[] {
  const hit = cache.get(layout);
  if (hit) return hit;
  const out: Chunk[] = [];
  let lit = '';
  const push = (c: Chunk) => {
    if (lit) out.push({ lit });
    lit = '';
    out.push(c);
  };
  const STARTS: [string, string][] = [
    ['January', 'January'], ['Jan', 'Jan'], ['Monday', 'Monday'], ['Mon', 'Mon'], ['MST', 'MST'],
    ['2006', '2006'], ['002', '002'], ['01', '01'], ['02', '02'], ['03', '03'], ['04', '04'], ['05', '05'], ['06', '06'],
    ['15', '15'], ['1', '1'], ['2', '2'], ['__2', '__2'], ['_2', '_2'], ['3', '3'], ['4', '4'], ['5', '5'],
    ['PM', 'PM'], ['pm', 'pm'],
    ['-07:00:00', '-07:00:00'], ['-070000', '-070000'], ['-07:00', '-07:00'], ['-0700', '-0700'], ['-07', '-07'],
    ['Z07:00:00', 'Z07:00:00'], ['Z070000', 'Z070000'], ['Z07:00', 'Z07:00'], ['Z0700', 'Z0700'], ['Z07', 'Z07'],
  ];
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i];
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const d = layout[i + 1];
      let j = i + 1;
      while (j < layout.length && layout[j] === d) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        push({ std: d === '0' ? 'frac0' : 'frac9', digits: j - i - 1, sep: c });
        i = j;
        continue;
      }
    }
    for (const [pat, std] of STARTS) {
      if (layout.startsWith(pat, i)) {
        // `_2006` is a literal underscore before a year, as in Go.
        if (pat === '_2' && layout.startsWith('_2006', i)) break;
        push({ std });
        i += pat.length;
        continue outer;
      }
    }
    lit += c;
    i++;
  }
  if (lit) out.push({ lit });
  cache.set(layout, out);
  return out;
}

const pad = (n: number, w: number, ch = '0') => String(n).padStart(w, ch);

function offsetMinutes(ms: number, tz: string): number {
  if (tz === 'UTC' || tz === '') return 0;
  const w = wallClock(ms, tz);
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.ms);
  return Math.round((d.getTime() - ms) / 60_000);
}

function zoneAbbrev(ms: number, tz: string, offMin: number): string {
  if (tz === 'UTC' || tz === '') return 'UTC';
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz === 'Local' ? undefined : tz, timeZoneName: 'short' })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value;
    if (name && /^[A-Z]{3,5}$/.test(name) && !name.startsWith('GMT')) return name;
  } catch {
    /* fall through to the numeric form Go uses for zones without an abbreviation */
  }
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return a % 60 === 0 ? `${sign}${pad(Math.floor(a / 60), 2)}` : `${sign}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
}

/** Formats epoch ms (+ subNs, the nanoseconds past them) with a Go layout in a zone ('UTC', 'Local' or IANA). */
export function formatGoTime(ms: number, layout: string, tz = 'UTC', subNs = 0): string {
  const w = wallClock(ms, tz);
  const off = offsetMinutes(ms, tz);
  let out = '';
  for (const ch of tokenize(layout)) {
    if ('lit' in ch) {
      out += ch.lit;
      continue;
    }
    switch (ch.std) {
      case 'January': out += MONTHS[w.month - 1]; break;
      case 'Jan': out += MONTHS[w.month - 1].slice(0, 3); break;
      case 'Monday': out += DAYS[w.weekday]; break;
      case 'Mon': out += DAYS[w.weekday].slice(0, 3); break;
      case 'MST': out += zoneAbbrev(ms, tz, off); break;
      case '2006': out += pad(w.year, 4); break;
      case '06': out += pad(w.year % 100, 2); break;
      case '01': out += pad(w.month, 2); break;
      case '1': out += String(w.month); break;
      case '02': out += pad(w.day, 2); break;
      case '2': out += String(w.day); break;
      case '_2': out += pad(w.day, 2, ' '); break;
      case '002': out += pad(yearDay(w.year, w.month, w.day), 3); break;
      case '__2': out += pad(yearDay(w.year, w.month, w.day), 3, ' '); break;
      case '15': out += pad(w.hour, 2); break;
      case '3': out += String(w.hour % 12 === 0 ? 12 : w.hour % 12); break;
      case '03': out += pad(w.hour % 12 === 0 ? 12 : w.hour % 12, 2); break;
      case '4': out += String(w.minute); break;
      case '04': out += pad(w.minute, 2); break;
      case '5': out += String(w.second); break;
      case '05': out += pad(w.second, 2); break;
      case 'PM': out += w.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += w.hour >= 12 ? 'pm' : 'am'; break;
      case 'frac0':
      case 'frac9': {
        let frac = (pad(w.ms, 3) + pad(subNs, 6)).slice(0, ch.digits ?? 0);
        if (ch.std === 'frac9') {
          frac = frac.replace(/0+$/, '');
          if (frac) out += (ch.sep ?? '.') + frac;
        } else out += (ch.sep ?? '.') + frac;
        break;
      }
      default: {
        // Zone offsets: Z… forms print Z at UTC, -… forms always print the number.
        const std = ch.std;
        if (std.startsWith('Z') && off === 0) {
          out += 'Z';
          break;
        }
        const sign = off < 0 ? '-' : '+';
        const a = Math.abs(off);
        const hh = pad(Math.floor(a / 60), 2);
        const mm = pad(a % 60, 2);
        const body = std.slice(1);
        if (body === '07') out += sign + hh;
        else if (body === '0700') out += sign + hh + mm;
        else if (body === '07:00') out += `${sign}${hh}:${mm}`;
        else if (body === '070000') out += sign + hh + mm + '00';
        else out += `${sign}${hh}:${mm}:00`;
      }
    }
  }
  return out;
}

function yearDay(y: number, m: number, d: number): number {
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
}
