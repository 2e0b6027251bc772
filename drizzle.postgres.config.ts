import { defineConfig } from 'drizzle-kit';

// PostgreSQL (any number of replicas). Keep src/store/postgres/schema.ts in step with src/store/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/postgres/schema.ts',
  out: './migrations/postgres',
});
