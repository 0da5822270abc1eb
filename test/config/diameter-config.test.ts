import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/index.js';

async function load(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-diam-'));
  try {
    for (const [n, t] of Object.entries(files)) await writeFile(join(dir, n), t);
    return await loadConfig(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('diameter_agent config', () => {
  it('CGRateS names load: listen/listen_net, origin, forced_disconnect, templates', async () => {
    const c = await load({ 'a.json': JSON.stringify({ diameter_agent: { enabled: true, listen: '127.0.0.1:3869', listen_net: 'tcp', origin_host: 'x', forced_disconnect: '*asr', asr_template: 'mine' }, templates: { mine: [] } }) });
    expect(c.diameter_agent).toMatchObject({ enabled: true, listen: '127.0.0.1:3869', listen_net: 'tcp', origin_host: 'x', forced_disconnect: '*asr', watchdog_interval: '30s' });
    expect(c.templates).toEqual({ mine: [] });
  });

  it('request processors split over files merge by id, later files overriding', async () => {
    const c = await load({
      'a.json': JSON.stringify({ diameter_agent: { request_processors: [{ id: 'A', flags: ['*log'] }, { id: 'B', flags: ['*dryrun'] }] } }),
      'b.json': JSON.stringify({ diameter_agent: { request_processors: [{ id: 'B', flags: ['*cdrs'] }, { id: 'C' }] } }),
    });
    expect(c.diameter_agent.request_processors.map((p) => [p.id, p.flags])).toEqual([['A', ['*log']], ['B', ['*cdrs']], ['C', undefined]]);
  });

  it('bad values are errors naming file and key', async () => {
    await expect(load({ 'a.json': '{"diameter_agent": {"listen_net": "sctp"}}' })).rejects.toThrow(ConfigError);
    await expect(load({ 'a.json': '{"diameter_agent": {"listen_net": "sctp"}}' })).rejects.toThrow(/a\.json:1:\d+: diameter_agent\.listen_net: "sctp" is not one of "tcp"/);
    await expect(load({ 'a.json': '{"diameter_agent": {"watchdog_interval": "often"}}' })).rejects.toThrow(/diameter_agent\.watchdog_interval/);
    await expect(load({ 'a.json': '{"diameter_agent": {"listen": "nowhere"}}' })).rejects.toThrow(/diameter_agent\.listen: "nowhere" is not a listen address/);
    await expect(load({ 'a.json': '{"diameter_agent": {"forced_disconnect": "*kick"}}' })).rejects.toThrow(/forced_disconnect/);
  });
});
