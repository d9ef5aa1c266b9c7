-- The benchmark's application workload: 24 templates over six tables, each with the calls it
-- gets per period. Some need no new index (primary-key lookups, a tiny table, whole-table
-- reports); the others cover the candidate kinds.

-- calls: 5000
SELECT id, name FROM bench_advisor.accounts WHERE id = 4242;
-- calls: 3000
SELECT id, name, tenant_id FROM bench_advisor.accounts WHERE email = 'User777@Example.com';
-- calls: 800
SELECT id FROM bench_advisor.accounts WHERE lower(email) = 'user778@example.com';
-- calls: 600
SELECT id, email FROM bench_advisor.accounts WHERE tenant_id = 17 AND country = 'de' ORDER BY created_at DESC LIMIT 20;
-- calls: 400
SELECT count(*) FROM bench_advisor.accounts WHERE tenant_id = 17;
-- calls: 2000
SELECT id, status, total_cents, created_at FROM bench_advisor.orders WHERE account_id = 1234 ORDER BY created_at DESC LIMIT 10;
-- calls: 900
SELECT id, total_cents FROM bench_advisor.orders WHERE account_id = 1234 AND created_at >= '2022-06-01';
-- calls: 300
SELECT id, account_id, created_at FROM bench_advisor.orders WHERE status = 'pending' ORDER BY created_at LIMIT 50;
-- calls: 150
SELECT id, total_cents FROM bench_advisor.orders WHERE created_at >= '2022-09-01' AND created_at < '2022-09-02';
-- calls: 4000
SELECT id, status FROM bench_advisor.orders WHERE id = 777001;
-- calls: 1200
SELECT l.product_id, l.quantity FROM bench_advisor.order_lines l WHERE l.order_id = 31337;
-- calls: 500
SELECT sum(l.quantity) FROM bench_advisor.order_lines l WHERE l.product_id = 1234;
-- calls: 200
SELECT o.id, o.created_at FROM bench_advisor.orders o JOIN bench_advisor.order_lines l ON l.order_id = o.id
 WHERE l.product_id = 999 ORDER BY o.created_at DESC LIMIT 20;
-- calls: 3000
SELECT id, title, price_cents FROM bench_advisor.products WHERE id = 42;
-- calls: 700
SELECT id, title FROM bench_advisor.products WHERE sku LIKE 'SKU-0012%';
-- calls: 250
SELECT id FROM bench_advisor.products WHERE title LIKE '%a1b2%';
-- calls: 300
SELECT id FROM bench_advisor.products WHERE tags && ARRAY['t7'];
-- calls: 400
SELECT id, title FROM bench_advisor.products WHERE category = 'cat7' ORDER BY price_cents LIMIT 20;
-- calls: 1000
SELECT name, plan FROM bench_advisor.tenants WHERE id = 12;
-- calls: 50
SELECT plan, count(*) FROM bench_advisor.tenants GROUP BY plan;
-- calls: 800
SELECT id, kind, at FROM bench_advisor.events WHERE account_id = 555 ORDER BY at DESC LIMIT 20;
-- calls: 100
SELECT count(*) FROM bench_advisor.events WHERE at >= '2023-01-10' AND at < '2023-01-11';
-- calls: 120
SELECT id FROM bench_advisor.events WHERE payload @> '{"campaign": "c42"}';
-- calls: 20
SELECT kind, count(*) FROM bench_advisor.events GROUP BY kind;
-- calls: 20000
INSERT INTO bench_advisor.events (id, account_id, kind, payload, at) VALUES (5000001, 1, 'kind1', '{}', now());
