// Built-in templates the agent sends with forced_disconnect (CGRateS's `*asr` and `*rar`): built from
// the request that started the session, with origin and destination swapped.
/** The session-addressing AVPs both templates share. */
const ADDRESSING: Record<string, unknown>[] = [
  { tag: 'SessionId', path: '*diamreq.Session-Id', type: '*variable', value: '~*req.Session-Id', mandatory: true },
  { tag: 'OriginHost', path: '*diamreq.Origin-Host', type: '*variable', value: '~*req.Destination-Host', mandatory: false },
  { tag: 'OriginRealm', path: '*diamreq.Origin-Realm', type: '*variable', value: '~*req.Destination-Realm', mandatory: true },
  { tag: 'DestinationRealm', path: '*diamreq.Destination-Realm', type: '*variable', value: '~*req.Origin-Realm', mandatory: true },
  { tag: 'DestinationHost', path: '*diamreq.Destination-Host', type: '*variable', value: '~*req.Origin-Host', mandatory: true },
  { tag: 'AuthApplicationId', path: '*diamreq.Auth-Application-Id', type: '*variable', value: '~*vars.*appid', mandatory: true },
];

export const BUILTIN_TEMPLATES: Record<string, Record<string, unknown>[]> = {
  '*asr': ADDRESSING,
  '*rar': [...ADDRESSING, { tag: 'ReAuthRequestType', path: '*diamreq.Re-Auth-Request-Type', type: '*constant', value: '0' }],
};
