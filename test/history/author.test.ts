// Who an archived change is recorded as: history.author when configured, else the loading user.
import { describe, it, expect } from 'vitest';
import { hostname, userInfo } from 'node:os';
import { defaultAuthor, checkRev } from '../../src/history/index.js';

describe('history author and revisions', () => {
  it('a configured "Name <email>" is the author', () => {
    expect(defaultAuthor('Ops Team <ops@example.com>')).toEqual({ name: 'Ops Team', email: 'ops@example.com' });
    expect(defaultAuthor('billing')).toEqual({ name: 'billing', email: `billing@${hostname()}` });
  });

  it('otherwise the user running the load', () => {
    const user = process.env.SUDO_USER || process.env.USER || userInfo().username;
    expect(defaultAuthor()).toEqual({ name: user, email: `${user}@${hostname()}` });
  });

  it('a revision never starts with a dash or holds whitespace', () => {
    expect(checkRev('HEAD~1')).toBe('HEAD~1');
    expect(checkRev('0e9ded5f34')).toBe('0e9ded5f34');
    for (const bad of ['--output=/tmp/x', '-p', 'a b', '', 'x\ny']) expect(() => checkRev(bad), JSON.stringify(bad)).toThrow(/is not a revision/);
  });
});
