-- Realistic, skewed data made with generate_series: 200k customers, 20k products,
-- 1.2M orders (most delivered, a few pending), 2.4M order items. Deterministic (setseed).
SET search_path = shop;
SELECT setseed(0.42) \gset

INSERT INTO customers
SELECT g,
       'user' || g || '@example.' || (ARRAY['com','org','net','de','fr'])[1 + g % 5],
       'Customer ' || g,
       (ARRAY['DE','FR','US','GB','NL','SE','ES','IT'])[1 + (g * 7) % 8],
       timestamptz '2020-01-01' + (g % 1800) * interval '1 day'
FROM generate_series(1, 200000) AS g;

INSERT INTO products
SELECT g, 'SKU-' || lpad(g::text, 6, '0'), 'Product ' || g,
       (ARRAY['books','games','garden','kitchen','music','sports','toys','tools'])[1 + g % 8],
       100 + (g * 37) % 20000
FROM generate_series(1, 20000) AS g;

-- Status is skewed the way shops are: 1 % pending, 2 % cancelled, the rest shipped/delivered.
INSERT INTO orders
SELECT g,
       1 + ((g::bigint * 7919) % 200000),
       CASE WHEN g % 100 = 0 THEN 'pending'
            WHEN g % 50 = 1 THEN 'cancelled'
            WHEN g % 10 < 3 THEN 'shipped'
            ELSE 'delivered' END,
       (ARRAY['eu','us','apac'])[1 + g % 3],
       500 + (g * 131) % 50000,
       timestamptz '2022-01-01' + g * interval '1 minute',
       CASE WHEN g % 100 = 0 THEN NULL ELSE timestamptz '2022-01-02' + g * interval '1 minute' END
FROM generate_series(1, 1200000) AS g;

INSERT INTO order_items
SELECT g, 1 + (g - 1) / 2, 1 + (g * 613) % 20000, 1 + g % 4, 100 + (g * 37) % 20000
FROM generate_series(1, 2400000) AS g;

