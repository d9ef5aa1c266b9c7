-- The index advisor benchmark's database: an application schema of six tables with realistic
-- distributions (a rare 'pending' status, skewed tenants, append-only events in time order,
-- jsonb payloads and text arrays). Loaded by bench_index_advisor into schema bench_advisor.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench_advisor CASCADE;
CREATE SCHEMA bench_advisor;
SET search_path = bench_advisor;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE TABLE tenants (id int PRIMARY KEY, name text NOT NULL, plan text NOT NULL);
INSERT INTO tenants SELECT g, 'tenant ' || g, (ARRAY['free','team','enterprise'])[1 + g % 3]
  FROM generate_series(1, 200) g;

CREATE TABLE accounts (id bigint PRIMARY KEY, tenant_id int NOT NULL REFERENCES tenants (id),
  email text NOT NULL, name text NOT NULL, country char(2) NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO accounts SELECT g, 1 + (g * 37) % 200, 'User' || g || '@Example.com', 'name ' || g,
  (ARRAY['de','fr','us','jp','br'])[1 + g % 5], timestamptz '2022-01-01' + g * interval '5 minutes'
  FROM generate_series(1, 150000) g;

CREATE TABLE products (id int PRIMARY KEY, sku varchar(32) NOT NULL, title text NOT NULL,
  category text NOT NULL, price_cents int NOT NULL, tags text[] NOT NULL);
INSERT INTO products SELECT g, 'SKU-' || lpad(g::text, 6, '0'), 'product ' || md5(g::text),
  'cat' || g % 40, 100 + g % 9000, ARRAY['t' || g % 50, 't' || g % 7]
  FROM generate_series(1, 30000) g;

CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id),
  status text NOT NULL, total_cents int NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % 150000,
  CASE WHEN g % 100 = 0 THEN 'pending' WHEN g % 10 = 0 THEN 'cancelled' ELSE 'delivered' END,
  500 + g % 20000, timestamptz '2022-01-01' + g * interval '1 minute'
  FROM generate_series(1, 600000) g;

CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders (id), line int NOT NULL,
  product_id int NOT NULL REFERENCES products (id), quantity int NOT NULL, PRIMARY KEY (order_id, line));
INSERT INTO order_lines SELECT 1 + g / 2, g % 2, 1 + (g * 131) % 30000, 1 + g % 5
  FROM generate_series(0, 999999) g;

CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL,
  payload jsonb NOT NULL, at timestamptz NOT NULL);
INSERT INTO events SELECT g, 1 + (g * 31) % 150000, 'kind' || g % 12,
  jsonb_build_object('campaign', 'c' || g % 300, 'device', (ARRAY['ios','android','web'])[1 + g % 3]),
  timestamptz '2023-01-01' + g * interval '2 seconds'
  FROM generate_series(1, 1200000) g;

GRANT USAGE ON SCHEMA bench_advisor TO advisor;
GRANT SELECT ON ALL TABLES IN SCHEMA bench_advisor TO advisor;
GRANT INSERT ON events TO advisor;  -- EXPLAIN of the workload's INSERT needs it; nothing is executed
-- VACUUM cannot run in the multi-statement load: the benchmark runs it afterwards.
