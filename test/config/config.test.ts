import { describe, it, expect } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, loadConfigWithInfo, mergeConfig, defaultConfig, ConfigError } from '../../src/config/index.js';

async function withFiles(files: Record<string, string>, fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'cfg-'));
  try {
    for (const [n, t] of Object.entries(files)) await writeFile(join(dir, n), t);
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('config', () => {
  it('starts from the embedded defaults with no config path', async () => {
    const c = await loadConfig();
    expect(c.listen.rpc_json).toBe('127.0.0.1:2012');
    expect(c.listen.http).toBe('127.0.0.1:2080');
    expect(c.general.rounding_decimals).toBe(5);
    expect(c.rals.cost_mode).toBe('*exact');
    expect(c.history.history_dir).toBe(join('./data', 'history'));
  });
  it('deep-merges objects, file after file in sorted order', async () => {
    await withFiles({ 'b.json': '{"general": {"default_tenant": "b.org"}}', 'a.json': '{"general": {"default_tenant": "a.org", "node_id": "n1"}}' }, async (dir) => {
      const c = await loadConfig(dir);
      expect(c.general.default_tenant).toBe('b.org');
      expect(c.general.node_id).toBe('n1');
      expect(c.general.default_category).toBe('call');
    });
  });
  it('merges lists of objects with an id item by item', () => {
    const base = { p: [{ id: 'a', x: 1, y: 1 }, { id: 'b', x: 2 }] };
    expect(mergeConfig(base, { p: [{ id: 'a', y: 5 }, { id: 'c', x: 3 }] })).toEqual({ p: [{ id: 'a', x: 1, y: 5 }, { id: 'b', x: 2 }, { id: 'c', x: 3 }] });
  });
  it('fills a new exporter from the *default exporter, keeping its own fields', () => {
    const c = mergeConfig(defaultConfig(), { ees: { exporters: [{ id: 'tut', export_path: '/tmp', fields: [{ tag: 'A', type: '*constant', value: 'x' }] }] } }) as ReturnType<typeof defaultConfig>;
    const tut = c.ees.exporters.find((e) => e.id === 'tut')!;
    expect(tut.type).toBe('*file_csv');
    expect(tut.field_separator).toBe(',');
    expect(tut.fields).toHaveLength(1);
  });
  it('replaces plain lists', () => {
    expect(mergeConfig({ l: [1, 2] }, { l: [3] })).toEqual({ l: [3] });
  });
  it('reports every problem with file, line, column and key', async () => {
    await withFiles({ 'x.json': '{\n "general": {"log_level": 9, "default_timezone": "Mars/Base"},\n "listen": {"rpc_json": "localhost"}\n}' }, async (dir) => {
      const err = await loadConfig(dir).catch((e) => e);
      expect(err).toBeInstanceOf(ConfigError);
      const probs = (err as ConfigError).problems.join('\n');
      expect(probs).toContain('x.json:3:25: listen.rpc_json: "localhost" is not a listen address');
      expect(probs).toContain('general.log_level: must be an integer from 0 (emergency) to 7 (debug), got 9');
      expect(probs).toContain('general.default_timezone: unknown time zone "Mars/Base"');
    });
  });
  it('warns about sections and keys AccuRate does not use', async () => {
    await withFiles({ 'x.json': '{"stats": {"enabled": true}, "general": {"dbdata_encoding": "*msgpack"}}' }, async (dir) => {
      const { warnings } = await loadConfigWithInfo(dir);
      expect(warnings.join('\n')).toMatch(/stats: section not used by AccuRate, ignored/);
      expect(warnings.join('\n')).toMatch(/general\.dbdata_encoding: unknown key, ignored/);
    });
  });
  it('says when the folder has no config files or does not exist', async () => {
    await withFiles({}, async (dir) => {
      await expect(loadConfig(dir)).rejects.toThrow(/no \*\.json config files/);
      await expect(loadConfig(join(dir, 'nope'))).rejects.toThrow(/config path does not exist/);
    });
  });
});
