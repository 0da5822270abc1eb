// Merging a config file onto what came before: objects deep-merge; lists of objects that carry
// an `id` (request processors, exporters, templates) merge item by item; other lists replace.

type Json = unknown;

function isObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isIdList(x: Json): x is Record<string, Json>[] {
  return Array.isArray(x) && x.length > 0 && x.every((e) => isObject(e) && typeof e.id === 'string');
}

export function mergeConfig(base: Json, over: Json): Json {
  if (isObject(base) && isObject(over)) {
    const out: Record<string, Json> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeConfig(base[k], v) : structuredClone(v);
    return out;
  }
  if (isIdList(over) && (isIdList(base) || (Array.isArray(base) && base.length === 0))) {
    const items = (base as Record<string, Json>[]).map((e) => structuredClone(e));
    // A new id starts from the list's `*default` item, as CGRateS fills exporters and processors.
    const template = items.find((e) => e.id === '*default');
    for (const o of over) {
      const i = items.findIndex((e) => e.id === o.id);
      if (i >= 0) items[i] = mergeConfig(items[i], o) as Record<string, Json>;
      else items.push(template ? (mergeConfig(withoutFields(template), o) as Record<string, Json>) : structuredClone(o));
    }
    return items;
  }
  return structuredClone(over);
}

/** A template's field list is its own: a new item brings its fields or has none. */
function withoutFields(t: Record<string, Json>): Record<string, Json> {
  const c = structuredClone(t);
  if ('fields' in c) c.fields = [];
  return c;
}
