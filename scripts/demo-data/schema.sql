-- pgadvisor demo application: a small shop. Keys and constraints are added after the data
-- (constraints.sql), which loads several times faster than checking them row by row.
DROP SCHEMA IF EXISTS shop CASCADE;
CREATE SCHEMA shop;
SET search_path = shop;
-- pgadvisor connects as the read-only monitoring role "advisor" (see scripts/pg-sandbox).
GRANT USAGE ON SCHEMA shop TO advisor;
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO advisor;

CREATE TABLE customers (
  id          bigint,
  email       text NOT NULL,
  name        text NOT NULL,
  country     char(2) NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE products (
  id          bigint,
  sku         text NOT NULL,
  name        text NOT NULL,
  category    text NOT NULL,
  price_cents integer NOT NULL
);

CREATE TABLE orders (
  id           bigint,
  customer_id  bigint NOT NULL,
  status       text NOT NULL,
  region       text NOT NULL,
  total_cents  integer NOT NULL,
  created_at   timestamptz NOT NULL,
  shipped_at   timestamptz
);

CREATE TABLE order_items (
  id          bigint,
  order_id    bigint NOT NULL,
  product_id  bigint NOT NULL,
  quantity    integer NOT NULL,
  price_cents integer NOT NULL
);
