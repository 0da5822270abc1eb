// Issue 8 item 1 (found by the fuzz after the storage rewrite): a statement SQLite cannot prepare
// answers its caller with an error instead of an unhandled 'error' event that stops the process.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../e2e/harness.js';
import { openSqliteStorDB } from '../../src/store/index.js';

describe('SQL that does not prepare', () => {
  it('rejects run/all/get with the SQLite error, and the database keeps working', async () => {
    const db = await openSqliteStorDB(join(await tempDir('accurate-sqlerr-'), 'data'));
    try {
      await expect(db.sql.all('SELECT 1 ORDER BY function Object() { [native code] }')).rejects.toThrow(/syntax error/);
      await expect(db.sql.run('UPDATE nope SET x = 1')).rejects.toThrow(/no such table/);
      await expect(db.sql.get('SELEC 1')).rejects.toThrow(/syntax error/);
      expect(await db.sql.get<{ one: number }>('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });
});
