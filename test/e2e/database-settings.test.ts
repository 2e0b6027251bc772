/** Issue 14: DATABASE_POOL_SIZE, DATABASE_STATEMENT_TIMEOUT and DATABASE_CONNECT_TIMEOUT reach the PostgreSQL pool (SQLite ignores them). */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

describe('database connection settings', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('the smallest pool still works an incident; on PostgreSQL the pool has that size and the server cancels a statement past the timeout', async () => {
    h = await startHarness({ DATABASE_POOL_SIZE: '2', DATABASE_STATEMENT_TIMEOUT: '1s', DATABASE_CONNECT_TIMEOUT: '4s' });
    const res = await h.driver.command('declare sev2 Pool of two', { userId: 'U0001' });
    expect(res.json.text).toContain('INC-1');
    const channel = await h.emu.waitFor(() => h!.emu.channelByName('inc-1-pool-of-two'));
    await h.emu.waitFor(async () => (await h!.bot.store.incidents.get(1))?.channelId === channel.id, { message: 'the bot never recorded the channel' });
    await h.driver.command('role ic <@U0002>', { userId: 'U0001', channelId: channel.id });
    await h.emu.waitFor(async () => ((await h!.bot.store.roles.current(1)).some((r) => r.role === 'ic' && r.userId === 'U0002') ? true : undefined), { message: 'the IC was never recorded' });
    const pg = h.bot.pg;
    if (!pg) {
      expect(h.bot.dialect).toBe('sqlite');
      return;
    }
    expect(pg.pool.options.max).toBe(2);
    expect(pg.pool.options.connectionTimeoutMillis).toBe(4000);
    // Every connection of the pool, the one that ran the migrations included (it once kept statement_timeout = 0).
    const clients = await Promise.all([pg.pool.connect(), pg.pool.connect()]);
    try {
      for (const c of clients) {
        expect((await c.query('SHOW statement_timeout')).rows[0]).toEqual({ statement_timeout: '1s' });
        await expect(c.query('SELECT pg_sleep(1.8)')).rejects.toThrow(/canceling statement due to statement timeout/);
      }
    } finally {
      for (const c of clients) c.release();
    }
  });
});
