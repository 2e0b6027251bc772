/**
 * compose.replicas.yaml cannot run here (no Docker daemon or compose plugin), so its invariants are checked by reading
 * it, the Dockerfile and deploy/nginx-replicas.conf: PostgreSQL healthy before the replicas start, every replica on that
 * database and the same image, /healthz checked, nginx round-robin over exactly those replicas.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

interface Service {
  build?: string | { context: string };
  image?: string;
  environment?: Record<string, string>;
  env_file?: string | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; start_period?: string };
  ports?: string[];
  volumes?: string[];
  restart?: string;
  stop_grace_period?: string;
  init?: boolean;
}

const compose = parse(read('compose.replicas.yaml'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;
const bots = Object.entries(services).filter(([, s]) => s.build !== undefined);
const postgres = services.postgres!;
const lbEntry = Object.entries(services).find(([, s]) => s.image?.startsWith('nginx'));
const nginx = read('deploy/nginx-replicas.conf').replace(/#.*$/gm, '');

describe('compose.replicas.yaml', () => {
  it('has PostgreSQL, three replicas of the image built from the Dockerfile, and a balancer', () => {
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(bots.map(([name]) => name)).toHaveLength(3);
    for (const [name, bot] of bots) {
      expect(bot.build, name).toBe('.');
      expect(bot.image, name).toBe(bots[0]![1].image);
      expect(bot.restart, name).toBe('unless-stopped');
      expect(bot.init, `${name}: node must get docker stop's SIGTERM`).toBe(true);
      expect(bot.stop_grace_period, name).toBeDefined();
      // Only the balancer is published: a replica reached directly would bypass round-robin.
      expect(bot.ports, name).toBeUndefined();
    }
    expect(lbEntry).toBeDefined();
  });

  it('PostgreSQL keeps its data on a named volume and reports healthy only once it accepts TCP connections', () => {
    const [volume, mount] = postgres.volumes![0]!.split(':');
    expect(mount).toBe('/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty(volume!);
    const check = postgres.healthcheck!.test.join(' ');
    expect(check).toContain('pg_isready');
    // The first start runs a socket-only temporary server; without -h, pg_isready would call it ready.
    expect(check).toMatch(/-h 127\.0\.0\.1|-h localhost/);
    expect(check).toContain(`-U ${postgres.environment!.POSTGRES_USER}`);
    expect(check).toContain(`-d ${postgres.environment!.POSTGRES_DB}`);
  });

  it('every replica waits for a healthy PostgreSQL and uses it, whatever .env says, with settings the bot accepts', () => {
    const env = postgres.environment!;
    for (const [name, bot] of bots) {
      expect(bot.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' } });
      const url = new URL(bot.environment!.DATABASE_URL!);
      expect(url.protocol, name).toBe('postgres:');
      expect([url.hostname, url.port || '5432', url.username, url.password, url.pathname.slice(1)], name)
        .toEqual(['postgres', '5432', env.POSTGRES_USER, env.POSTGRES_PASSWORD, env.POSTGRES_DB]);
      // `environment` wins over `env_file` in compose: .env supplies the Slack tokens, never another database.
      expect(bot.env_file, name).toBe('.env');
      const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5', ...bot.environment });
      expect(config.databaseUrl).toBe(bot.environment!.DATABASE_URL);
      // Three pools must fit PostgreSQL's default max_connections (100), with room for psql and pg_dump.
      expect(bots.length * config.databasePool.size, 'connections of all replicas').toBeLessThanOrEqual(90);
    }
  });

  it('every replica is health-checked on /healthz at the port it serves', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/migrations \.\/migrations$/m);
    for (const dialect of ['sqlite', 'postgres']) expect(fs.existsSync(path.join(root, 'migrations', dialect, 'meta', '_journal.json')), dialect).toBe(true);
    for (const [name, bot] of bots) {
      const check = bot.healthcheck?.test.join(' ') ?? '';
      expect(check, name).toContain(`127.0.0.1:${bot.environment!.PORT}/healthz`);
      expect(check, `${name}: non-2xx must fail the check`).toMatch(/r\.ok \? 0 : 1/);
    }
  });

  it('nginx spreads requests round-robin over exactly the replicas, on the port they listen on, and is the only published port', () => {
    const [lbName, lb] = lbEntry!;
    expect(lb.volumes).toContain('./deploy/nginx-replicas.conf:/etc/nginx/conf.d/default.conf:ro');
    expect(new Set(lb.depends_on as string[])).toEqual(new Set(bots.map(([name]) => name)));
    const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(nginx);
    expect(upstream, 'an upstream block').not.toBeNull();
    const servers = [...upstream![2]!.matchAll(/^\s*server\s+(\S+)/gm)].map((m) => m[1]);
    expect(new Set(servers)).toEqual(new Set(bots.map(([name, bot]) => `${name}:${bot.environment!.PORT}`)));
    expect(servers).toHaveLength(bots.length);
    // No hashing or stickiness: plain round-robin is nginx's default.
    expect(upstream![2]).not.toMatch(/\b(ip_hash|hash|least_conn|random|sticky)\b/);
    expect(nginx).toMatch(new RegExp(`proxy_pass\\s+http://${upstream![1]};`));
    const listen = /listen\s+(\d+)/.exec(nginx)![1];
    expect(lb.ports).toEqual([`${listen}:${listen}`]);
    expect(Object.entries(services).filter(([, s]) => s.ports).map(([n]) => n)).toEqual([lbName]);
    // A POST already sent to one replica is not replayed onto another (Slack retries on its own, with its retry headers).
    expect(nginx).not.toContain('non_idempotent');
  });
});
