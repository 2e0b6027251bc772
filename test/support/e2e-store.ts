/** Which store the end-to-end harness runs the bot on: SQLite by default, PostgreSQL when E2E_STORE=postgres (the `e2e-postgres` vitest project). */
import pg from 'pg';

let seq = 0;

/** A fresh PostgreSQL database URL on the run's cluster, or null when the harness should use SQLite. */
export async function e2eDatabaseUrl(): Promise<string | null> {
  if (process.env.E2E_STORE !== 'postgres') return null;
  // Imported here, so the harness also loads outside vitest (the benchmarks use it).
  const { inject } = await import('vitest');
  const admin = inject('pgAdminUrl');
  if (!admin) throw new Error('E2E_STORE=postgres but no PostgreSQL cluster was started (binaries missing?)');
  const name = `e2e_${process.pid}_${++seq}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return admin.replace(/\/postgres$/, `/${name}`);
}
