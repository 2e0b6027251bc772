/** vitest globalSetup of the `e2e-postgres` project: one throwaway PostgreSQL cluster for the run; each harness makes its own database on it. */
import type { TestProject } from 'vitest/node';
import { postgresAvailable, startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the cluster's `postgres` database, for CREATE DATABASE; empty when PostgreSQL is not installed. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!postgresAvailable) {
    project.provide('pgAdminUrl', '');
    return undefined;
  }
  const cluster = await startPostgres();
  project.provide('pgAdminUrl', cluster.url('postgres'));
  return () => cluster.stop();
}
