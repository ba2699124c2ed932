import { defineModel, mask } from 'lakehouse-etl';

/** Events flattened for analysis: device fields, the product viewed, and each event's place in its session. */
export default defineModel({
  description: 'User events with device, product and in-session sequence, one row per event.',
  owner: 'product-analytics',
  tags: ['events', 'behaviour', 'fact'],
  config: { materialized: 'table', partition_by: 'event_date' },
  columns: {
    event_id: { description: 'Event identifier.', tests: ['not_null', 'unique'] },
    user_id: { description: 'Signed-in customer as the salted hash dim_customer keys on, null when anonymous.', classification: ['pseudonymised', 'restricted'] },
    session_event_seq: { description: '1 for the first event of a session, then 2, 3, ...', tests: [{ expression: { expression: 'session_event_seq >= 1' } }] },
  },
  tests: [{ row_count: { min: 1 } }],
  sql: ({ ref, var: v }) => {
    // Unaliased: struct fields read as `device.type` (the analyser takes `e.device.type` for a table `e`).
    const e = ref('stg_user_events');
    return `
SELECT
  ${e.c.event_id},
  ${e.c.event_date},
  ${e.c.event_timestamp},
  ${mask.hash(e.c.user_id, v('mask_salt'))} AS user_id,
  ${e.c.is_anonymous},
  ${e.c.session_id},
  ${e.c.event_type},
  ${e.c.page_url},
  ${e.c.device}.type AS device_type,
  ${e.c.device}.os AS device_os,
  ${e.c.device}.app_version AS app_version,
  ${e.c.properties}['product_id'] AS product_id,
  row_number() OVER (PARTITION BY ${e.c.session_id} ORDER BY ${e.c.event_timestamp}, ${e.c.event_id}) AS session_event_seq,
  ${e.c.event_type} = 'purchase' AS is_conversion
FROM ${e}
`;
  },
});
