import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_COMMANDS } from '../../src/api/commands.js';
import { defaultConfig } from '../../src/config/index.js';
import { startEngine, type Engine } from '../../src/engine/index.js';
import { silentLogger } from '../../src/util/logger.js';

describe('console commands', () => {
  let engine: Engine | undefined;
  let dir = '';
  afterAll(async () => {
    await engine?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every console command names a method the engine serves', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cmds-'));
    const cfg = defaultConfig();
    cfg.listen.rpc_json = '127.0.0.1:0';
    cfg.listen.http = '';
    cfg.data_db.db_path = join(dir, 'data');
    cfg.stor_db.db_path = join(dir, 'data');
    cfg.history.history_dir = join(dir, 'history');
    engine = await startEngine(cfg, silentLogger);
    const missing = Object.entries(CONSOLE_COMMANDS).filter(([, c]) => !engine!.table.resolve(c.method)).map(([n, c]) => `${n} → ${c.method}`);
    expect(missing).toEqual([]);
  });
});
