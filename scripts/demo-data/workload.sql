-- The demo workload: what the shop's application runs. Each statement may be preceded by
-- "-- calls: N" (how often it runs per demo round).

-- calls: 40
SELECT id, status, total_cents, created_at FROM shop.orders WHERE customer_id = 4242 ORDER BY created_at DESC;

-- calls: 20
SELECT o.id, o.created_at, o.total_cents FROM shop.orders o
 WHERE o.status = 'pending' AND o.region = 'eu' ORDER BY o.created_at DESC LIMIT 20;

-- calls: 20
SELECT oi.product_id, oi.quantity, oi.price_cents FROM shop.order_items oi
  JOIN shop.orders o ON o.id = oi.order_id WHERE o.id = 777001;

-- calls: 30
SELECT id, name FROM shop.customers WHERE email = 'user4242@example.org';

-- calls: 10
SELECT p.category, count(*) FROM shop.order_items oi JOIN shop.products p ON p.id = oi.product_id
 WHERE oi.product_id = 1234 GROUP BY p.category;

-- calls: 50
SELECT id, name, price_cents FROM shop.products WHERE id = 42;

-- calls: 5
SELECT id, customer_id, total_cents FROM shop.orders
 WHERE created_at >= '2023-06-01' AND created_at < '2023-06-02' ORDER BY total_cents DESC LIMIT 10;
