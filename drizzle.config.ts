import { defineConfig } from 'drizzle-kit';

// SQLite (one process). PostgreSQL has its own: drizzle.postgres.config.ts. `npm run db:generate` runs both.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './migrations/sqlite',
});
