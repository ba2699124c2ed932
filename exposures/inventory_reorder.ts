import { defineExposure } from 'lakehouse-etl';

/** The warehouse team's daily reorder list. */
export default defineExposure({
  name: 'inventory_reorder',
  type: 'dashboard',
  tool: 'powerbi',
  owner: { name: 'Supply Chain', email: 'supply-chain@example.com' },
  url: 'https://app.powerbi.com/groups/me/reports/inventory-reorder',
  depends: [{ ref: 'mart_inventory', columns: ['product_id', 'product_name', 'warehouse_id', 'quantity_on_hand', 'days_of_cover', 'needs_reorder'] }],
});
