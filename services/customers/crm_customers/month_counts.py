"""SQL of the customer_month_counts rollup (migration 0003 installs the trigger that keeps it).

`REBUILD_SQL` recomputes it from scratch: after a bulk load with the trigger disabled (the
bench's COPY), or to repair it.
"""
MONTH = "date_trunc('month', {r}.created_at AT TIME ZONE 'Asia/Shanghai')::date"
REBUILD_SQL = f"""
    DELETE FROM customer_month_counts;
    INSERT INTO customer_month_counts (branch, department_path, owner_id, month, count)
    SELECT branch, department_path, owner_id, {MONTH.format(r='c')}, count(*) FROM customers c
     WHERE deleted_at IS NULL AND NOT in_pool GROUP BY 1, 2, 3, 4;
"""
TRIGGER = "customers_month_count"
