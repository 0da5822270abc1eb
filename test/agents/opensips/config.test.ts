import { describe, expect, it } from 'vitest';
import { validateConfig, defaultConfig } from '../../../src/config/index.js';

describe('opensips_agent config', () => {
  it('defaults: off, loopback, 60 s renewals, session_ttl on, the cgrates module not served', () => {
    const c = defaultConfig().opensips_agent;
    expect(c).toMatchObject({ enabled: false, listen: '127.0.0.1:2020', mi_addr: '127.0.0.1:8020', events_subscribe_interval: '60s', create_cdr: true, session_ttl: '3h10m', birpc: false });
  });
  it('a request_fields template that does not compile is an error naming the field', () => {
    const p = validateConfig({ opensips_agent: { request_fields: [{ tag: 'Acc', path: '*req.Account', value: '~*req.cgr_account' }] } });
    expect(p).toEqual([expect.objectContaining({ path: ['opensips_agent', 'request_fields'], severity: 'error', message: expect.stringMatching(/field Acc: cannot write <\*req>/) })]);
  });
  it('durations and addresses are checked', () => {
    const p = validateConfig({ opensips_agent: { events_subscribe_interval: 'soon', mi_addr: 'nowhere' } });
    expect(p.map((x) => x.path.join('.'))).toEqual(['opensips_agent.events_subscribe_interval', 'opensips_agent.mi_addr']);
  });
});
