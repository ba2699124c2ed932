/**
 * What building fixtures/operations must produce, whichever engine runs the plan: the same landed
 * orders, the same tables, the same rows written. The EMR driver spec and the local engine spec
 * both check against these.
 */
export type OrderRow = [order_id: string, customer_id: string, amount: number, status: string, order_date: string, updated_at: string];

export const DAY1 = { ingestDate: '2024-01-01', extractedAt: '2024-01-01 00:00:00' };
export const DAY1_ORDERS: OrderRow[] = [
  ['o1', 'c1', 10, 'PAID', '2024-01-01', '2024-01-01 01:00:00'],
  ['o2', 'c1', 5, 'new', '2024-01-01', '2024-01-01 01:00:00'],
  ['o3', 'c2', -3, 'shipped', '2024-01-02', '2024-01-01 01:00:00'],
];
/** The increment: o2 changes, o4 is new. */
export const DAY2 = { ingestDate: '2024-01-02', extractedAt: '2024-01-02 00:00:00' };
export const DAY2_ORDERS: OrderRow[] = [
  ['o2', 'c1', 7, 'paid', '2024-01-01', '2024-01-02 01:00:00'],
  ['o4', 'c3', 4, 'new', '2024-01-03', '2024-01-02 01:00:00'],
];

/** Queries that read each table back, in a stable order. */
export const TABLES: Record<string, string> = {
  orders_view: 'SELECT order_id, amount FROM silver.orders_view ORDER BY order_id, amount',
  orders_table: 'SELECT order_id, amount FROM silver.orders_table ORDER BY order_id, amount',
  orders_append: 'SELECT order_id, amount FROM silver.orders_append ORDER BY order_id, amount',
  orders_merge: 'SELECT order_id, amount, status FROM silver.orders_merge ORDER BY order_id',
  orders_by_day: 'SELECT CAST(order_date AS STRING) AS day, versions, amount FROM silver.orders_by_day ORDER BY day',
  customer_totals: 'SELECT customer_id, CAST(`order``day` AS STRING) AS day, total FROM gold.customer_totals ORDER BY customer_id',
  customer_totals_detail: 'DESCRIBE DETAIL gold.customer_totals',
  checked_orders: 'SELECT count(*) AS n FROM gold.checked_orders',
};

/** Rows written per model (Delta commit metrics); views write none, OPTIMIZE counts nothing. */
export const FULL_ROWS_WRITTEN: Record<string, number> = {
  'model.orders_table': 3,
  'model.orders_append': 3,
  'model.orders_merge': 3,
  'model.orders_by_day': 2,
  'model.customer_totals': 2,
  'model.checked_orders': 3,
};
export const INCREMENTAL_ROWS_WRITTEN: Record<string, number> = {
  'model.orders_table': 5,
  'model.orders_append': 2, // only what landed since
  'model.orders_merge': 2, // one updated, one inserted
  'model.orders_by_day': 2, // the two days that received versions
  'model.customer_totals': 3,
};

export const FULL_TABLES = {
  orders_view: [{ order_id: 'o1' }, { order_id: 'o2' }, { order_id: 'o3' }],
  orders_table: [{ order_id: 'o1' }, { order_id: 'o2' }, { order_id: 'o3' }],
  orders_append: [{ order_id: 'o1' }, { order_id: 'o2' }, { order_id: 'o3' }],
  orders_merge: [{ order_id: 'o1', status: 'paid' }, { order_id: 'o2', status: 'new' }, { order_id: 'o3', status: 'shipped' }],
  orders_by_day: [{ day: '2024-01-01', versions: 2, amount: 15 }, { day: '2024-01-02', versions: 1, amount: -3 }],
  customer_totals: [{ customer_id: 'c1', day: '2024-01-01', total: 15 }, { customer_id: 'c2', day: '2024-01-02', total: -3 }],
  customer_totals_detail: [{ partitionColumns: ['order`day'] }],
  checked_orders: [{ n: 3 }],
};

export const INCREMENTAL_TABLES = {
  orders_view: [{ order_id: 'o1' }, { order_id: 'o2', amount: 5 }, { order_id: 'o2', amount: 7 }, { order_id: 'o3' }, { order_id: 'o4' }],
  orders_append: [{ order_id: 'o1' }, { order_id: 'o2', amount: 5 }, { order_id: 'o2', amount: 7 }, { order_id: 'o3' }, { order_id: 'o4' }],
  orders_merge: [{ order_id: 'o1', amount: 10 }, { order_id: 'o2', amount: 7, status: 'paid' }, { order_id: 'o3' }, { order_id: 'o4', amount: 4 }],
  orders_by_day: [{ day: '2024-01-01', versions: 3, amount: 22 }, { day: '2024-01-02', versions: 1, amount: -3 }, { day: '2024-01-03', versions: 1, amount: 4 }],
  customer_totals: [{ customer_id: 'c1', total: 17 }, { customer_id: 'c2', total: -3 }, { customer_id: 'c3', day: '2024-01-03', total: 4 }],
};

/** Bronze metadata of a landed row. */
export const orderRecord = ([order_id, customer_id, amount, status, order_date, updated_at]: OrderRow, day: { ingestDate: string; extractedAt: string }) => ({
  order_id, customer_id, amount, status, order_date, updated_at, _run_id: `run-${day.ingestDate}`, _extracted_at: day.extractedAt, _source: 'fixture', _cursor_value: updated_at, _is_deleted: false,
});
