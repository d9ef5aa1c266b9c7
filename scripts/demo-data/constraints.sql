-- Primary keys and foreign keys, added after the load. The indexes the workload needs are
-- deliberately missing (that is what pgadvisor should find); as in many real schemas, the
-- foreign-key columns are not indexed.
SET search_path = shop;
ALTER TABLE customers ADD PRIMARY KEY (id);
ALTER TABLE products ADD PRIMARY KEY (id), ADD UNIQUE (sku);
ALTER TABLE orders ADD PRIMARY KEY (id),
  ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE order_items ADD PRIMARY KEY (id),
  ADD FOREIGN KEY (order_id) REFERENCES orders (id),
  ADD FOREIGN KEY (product_id) REFERENCES products (id);
VACUUM ANALYZE customers, products, orders, order_items;
