/**
 * Snowflake tables: product_catalog (ERP), customer_orders (CRM), financial_transactions
 * (accounting). Clean rows come with several versions, noisy formatting the silver layer has to
 * clean (case, padding), exact re-extractions and shuffled order; dirty rows are planted on keys
 * of their own with a single version, so the dedupe never hides them.
 */
import { batchMetadata, emptyIncrementFacts, type BatchRows, type BronzeRow, type GeneratorKit, type RunContext } from './batch.js';
import type { IncrementFacts } from './ledger.js';
import type { Rng } from './prng.js';
import { ADJECTIVES, BRANDS, CURRENCIES, MALFORMED_EMAILS, ORDER_STATUS_FLOW, SUBCATEGORIES, UNKNOWN_CATEGORIES } from './vocabulary.js';
import { categoryOf, productId, type Customer } from './world.js';
import { cents, isoDate, isoTimestamp, MS_PER_DAY, pad } from './values.js';

const HOUR = 3_600_000;
const SOURCE = {
  products: 'snowflake:RAW_DATA.PUBLIC.PRODUCT_CATALOG',
  orders: 'snowflake:RAW_DATA.PUBLIC.CUSTOMER_ORDERS',
  transactions: 'snowflake:RAW_DATA.PUBLIC.FINANCIAL_TRANSACTIONS',
};
export const KEYS = {
  products: 'snowflake.product_catalog',
  orders: 'snowflake.customer_orders',
  transactions: 'snowflake.financial_transactions',
};

export interface Product {
  id: string;
  sku: string;
  name: string;
  category: string;
  subcategory: string;
  brand: string;
  priceCents: number;
  costCents: number;
  isActive: boolean;
  attributes: Record<string, string>;
  createdMs: number;
  updatedMs: number;
}

export interface OrderVersion {
  status: string;
  updatedMs: number;
}

export interface Order {
  id: string;
  customer: Customer;
  productId: string;
  quantity: number;
  unitCents: number;
  amountCents: number;
  currency: string;
  orderDate: string;
  createdMs: number;
  versions: OrderVersion[];
}

export interface SnowflakeState {
  products: Product[];
  orders: Order[];
  nextOrder: number;
  nextProduct: number;
  nextTransaction: number;
  /** Transactions landed so far, for re-extraction of overlapping windows. */
  transactions: Array<Record<string, unknown>>;
}

// --- formatting noise that silver cleaning must undo ---------------------------------------

function noisyCase(rng: Rng, value: string): string {
  const roll = rng.next();
  if (roll < 0.1) return value.toUpperCase();
  if (roll < 0.2) return value.charAt(0).toUpperCase() + value.slice(1);
  if (roll < 0.25) return `  ${value} `;
  return value;
}

function noisyEmail(rng: Rng, email: string): string {
  const roll = rng.next();
  if (roll < 0.1) return email.toUpperCase();
  if (roll < 0.15) return ` ${email}  `;
  return email;
}

// --- product catalog -------------------------------------------------------------------------

function newProduct(rng: Rng, n: number, createdMs: number): Product {
  const category = categoryOf(n);
  const subcategory = rng.pick(SUBCATEGORIES[category]);
  const priceCents = rng.int(5, 1500) * 100 + rng.pick([0, 49, 99]);
  return {
    id: productId(n),
    sku: `SKU-${category.slice(0, 3).toUpperCase()}-${pad(n, 5)}`,
    name: `${rng.pick(BRANDS)} ${rng.pick(ADJECTIVES)} ${subcategory.replace(/s$/, '')}`,
    category,
    subcategory,
    brand: rng.pick(BRANDS),
    priceCents,
    costCents: Math.round(priceCents * (0.4 + rng.next() * 0.4)),
    isActive: rng.chance(0.95),
    attributes: { color: rng.pick(['black', 'white', 'red', 'blue', 'green']), origin: rng.pick(['US', 'DE', 'CN', 'VN', 'MX']) },
    createdMs,
    updatedMs: createdMs,
  };
}

function productRow(rng: Rng, ctx: RunContext, p: Product, overrides: Partial<Record<string, unknown>> = {}): BronzeRow {
  const values: Record<string, unknown> = {
    product_id: p.id,
    sku: p.sku,
    product_name: p.name,
    category: noisyCase(rng, p.category),
    subcategory: p.subcategory,
    brand: p.brand,
    price: cents(p.priceCents),
    cost: cents(p.costCents),
    is_active: p.isActive,
    attributes: p.attributes,
    created_at: isoTimestamp(p.createdMs),
    updated_at: isoTimestamp(p.updatedMs),
    ...overrides,
  };
  values.updated_at = values.updated_at ?? isoTimestamp(p.updatedMs);
  return { ingestDate: ctx.ingestDate, values: { ...values, ...batchMetadata(ctx, SOURCE.products, String(values.updated_at)) } };
}

function declareRules(kit: GeneratorKit): void {
  const { ledger } = kit;
  ledger.declare('product_id_not_null', { source: KEYS.products, model: 'stg_product_catalog', test: 'not_null', column: 'product_id', locatorColumn: 'sku' });
  ledger.declare('product_price_positive', { source: KEYS.products, model: 'stg_product_catalog', test: 'expression', column: 'price', locatorColumn: 'product_id' });
  ledger.declare('product_category_accepted', { source: KEYS.products, model: 'stg_product_catalog', test: 'singular:assert_product_category_accepted', column: 'category', locatorColumn: 'product_id' });
  ledger.declare('order_id_not_null', { source: KEYS.orders, model: 'stg_customer_orders', test: 'not_null', column: 'order_id', locatorColumn: 'created_at' });
  ledger.declare('order_customer_id_not_null', { source: KEYS.orders, model: 'stg_customer_orders', test: 'not_null', column: 'customer_id', locatorColumn: 'order_id' });
  ledger.declare('order_amount_positive', { source: KEYS.orders, model: 'stg_customer_orders', test: 'expression', column: 'amount', locatorColumn: 'order_id' });
  ledger.declare('order_date_in_range', { source: KEYS.orders, model: 'stg_customer_orders', test: 'singular:assert_order_date_in_range', column: 'order_date', locatorColumn: 'order_id' });
  ledger.declare('order_email_valid', { source: KEYS.orders, model: 'stg_customer_orders', test: 'email', column: 'customer_email', locatorColumn: 'order_id' });
  ledger.declare('transaction_amount_in_range', { source: KEYS.transactions, model: 'stg_financial_transactions', test: 'singular:assert_transaction_amount_within_limit', column: 'amount', locatorColumn: 'transaction_id' });
}

// --- orders ------------------------------------------------------------------------------------

/** Status flow of a clean order: a prefix of created→paid→shipped→delivered, or a cancellation. */
function statusFlow(rng: Rng): string[] {
  if (rng.chance(0.12)) return rng.chance(0.5) ? ['created', 'cancelled'] : ['created', 'paid', 'cancelled'];
  return ORDER_STATUS_FLOW.slice(0, rng.int(1, ORDER_STATUS_FLOW.length));
}

const TERMINAL = new Set(['delivered', 'cancelled']);
function nextStatus(status: string): string | undefined {
  const i = ORDER_STATUS_FLOW.indexOf(status as (typeof ORDER_STATUS_FLOW)[number]);
  return i >= 0 && i < ORDER_STATUS_FLOW.length - 1 ? ORDER_STATUS_FLOW[i + 1] : undefined;
}

function newOrder(rng: Rng, n: number, customer: Customer, product: Product, createdMs: number, endMs: number): Order {
  const quantity = rng.int(1, 5);
  const versions: OrderVersion[] = [];
  let at = createdMs;
  for (const status of statusFlow(rng)) {
    if (at >= endMs) break;
    versions.push({ status, updatedMs: at });
    at += rng.int(1, 48) * HOUR + rng.int(0, 3599) * 1000;
  }
  return {
    id: `ORD-${pad(n, 7)}`,
    customer,
    productId: product.id,
    quantity,
    unitCents: product.priceCents,
    amountCents: quantity * product.priceCents,
    currency: rng.next() < 0.7 ? 'USD' : rng.pick(CURRENCIES),
    orderDate: isoDate(createdMs),
    createdMs,
    versions,
  };
}

function orderRow(rng: Rng, ctx: RunContext, o: Order, v: OrderVersion, overrides: Partial<Record<string, unknown>> = {}): BronzeRow {
  const values: Record<string, unknown> = {
    order_id: o.id,
    customer_id: o.customer.id,
    customer_email: noisyEmail(rng, o.customer.email),
    customer_name: `${o.customer.firstName} ${o.customer.lastName}`,
    shipping_address: o.customer.address,
    product_id: o.productId,
    quantity: o.quantity,
    unit_price: cents(o.unitCents),
    amount: cents(o.amountCents),
    currency: rng.chance(0.06) ? ` ${o.currency.toLowerCase()}` : o.currency,
    order_status: noisyCase(rng, v.status),
    order_date: o.orderDate,
    created_at: isoTimestamp(o.createdMs),
    updated_at: isoTimestamp(v.updatedMs),
    ...overrides,
  };
  return { ingestDate: ctx.ingestDate, values: { ...values, ...batchMetadata(ctx, SOURCE.orders, String(values.updated_at)) } };
}

// --- financial transactions ----------------------------------------------------------------------

function transactionValues(
  state: SnowflakeState,
  fields: { accountId: string | null; order: Order | null; type: string; amountCents: number; gl: string; postedMs: number },
): Record<string, unknown> {
  const id = `TX-${pad(state.nextTransaction++, 8)}`;
  return {
    transaction_id: id,
    account_id: fields.accountId,
    order_id: fields.order?.id ?? null,
    customer_id: fields.order?.customer.id ?? null,
    transaction_type: fields.type,
    amount: cents(fields.amountCents),
    currency: fields.order?.currency ?? 'USD',
    gl_account: fields.gl,
    transaction_date: isoDate(fields.postedMs),
    posted_at: isoTimestamp(fields.postedMs),
  };
}

/** Money movements caused by an order reaching `status` at `atMs`. */
function transactionsFor(rng: Rng, state: SnowflakeState, o: Order, status: string, atMs: number, endMs: number): Array<Record<string, unknown>> {
  const postedMs = Math.min(atMs + rng.int(1, 50) * 60_000, endMs - 60_000);
  if (status === 'paid') {
    const out = [transactionValues(state, { accountId: null, order: o, type: 'payment', amountCents: o.amountCents, gl: '4000-REVENUE', postedMs })];
    if (rng.chance(0.3)) {
      out.push(transactionValues(state, { accountId: null, order: o, type: 'fee', amountCents: -Math.max(1, Math.round(o.amountCents * 0.029)), gl: '6100-PAYMENT-FEES', postedMs }));
    }
    return out;
  }
  if (status === 'cancelled' && o.versions.some((v) => v.status === 'paid')) {
    return [transactionValues(state, { accountId: null, order: o, type: 'refund', amountCents: -o.amountCents, gl: '4100-REFUNDS', postedMs })];
  }
  return [];
}

function transactionRow(ctx: RunContext, values: Record<string, unknown>): BronzeRow {
  return { ingestDate: ctx.ingestDate, values: { ...values, ...batchMetadata(ctx, SOURCE.transactions, String(values.posted_at)) } };
}

// --- batches -------------------------------------------------------------------------------------

export function snowflakeBase(
  kit: GeneratorKit,
  ctx: RunContext,
  sizes: { products: number; orders: number },
  customers: Customer[],
  referencableAccounts: string[],
  out: BatchRows,
): SnowflakeState {
  declareRules(kit);
  const { ledger } = kit;
  const rng = kit.rng('snowflake.base');
  const span = ctx.extractedAtMs - ctx.windowStartMs;
  const at = (r: Rng) => ctx.windowStartMs + Math.floor(r.next() * span * 0.98);
  const state: SnowflakeState = { products: [], orders: [], nextOrder: 1, nextProduct: 1, nextTransaction: 1, transactions: [] };

  // Products: clean ones (some with a price change), then planted dirt on products of their own.
  const productRows: BronzeRow[] = [];
  for (let i = 0; i < sizes.products; i++) {
    const createdMs = ctx.windowStartMs - rng.int(30, 400) * MS_PER_DAY;
    const p = newProduct(rng, state.nextProduct++, createdMs);
    state.products.push(p);
    if (rng.chance(0.15)) {
      productRows.push(productRow(rng, ctx, p));
      p.updatedMs = at(rng);
      p.priceCents = Math.round(p.priceCents * (0.85 + rng.next() * 0.3));
      p.costCents = Math.min(p.costCents, p.priceCents - 1);
    }
    productRows.push(productRow(rng, ctx, p));
  }
  // One recent price change keeps the catalog fresh for freshness checks.
  const touched = rng.pick(state.products);
  productRows.push(productRow(rng, ctx, touched));
  touched.updatedMs = ctx.extractedAtMs - rng.int(60, 1800) * 1000;
  touched.priceCents += 100;
  productRows.push(productRow(rng, ctx, touched));
  const dirtyProducts = (count: number, plant: (p: Product, k: number) => Partial<Record<string, unknown>>) => {
    for (let k = 0; k < count; k++) {
      const p = newProduct(rng, state.nextProduct++, at(rng));
      productRows.push(productRow(rng, ctx, p, plant(p, k)));
    }
  };
  const nProducts = kit.dirtCount(sizes.products);
  dirtyProducts(nProducts, (p, k) => {
    ledger.plant('product_id_not_null', p.sku);
    return { product_id: k % 2 === 0 ? '' : '   ' };
  });
  dirtyProducts(nProducts, (p, k) => {
    ledger.plant('product_price_positive', p.id);
    return { price: k % 2 === 0 ? '0.00' : cents(-p.priceCents) };
  });
  dirtyProducts(nProducts, (p, k) => {
    ledger.plant('product_category_accepted', p.id);
    return { category: UNKNOWN_CATEGORIES[k % UNKNOWN_CATEGORIES.length] };
  });
  out.set(KEYS.products, rng.shuffle(productRows));

  // Orders: clean orders with their status versions, some re-extracted as exact duplicates.
  const orderRows: BronzeRow[] = [];
  const txValues: Array<Record<string, unknown>> = [];
  for (let i = 0; i < sizes.orders; i++) {
    const o = newOrder(rng, state.nextOrder++, rng.pick(customers), rng.pick(state.products), at(rng), ctx.extractedAtMs);
    state.orders.push(o);
    for (const v of o.versions) {
      const row = orderRow(rng, ctx, o, v);
      orderRows.push(row);
      if (rng.chance(0.03)) orderRows.push({ ingestDate: row.ingestDate, values: { ...row.values } });
      txValues.push(...transactionsFor(rng, state, o, v.status, v.updatedMs, ctx.extractedAtMs));
    }
  }
  // Recent activity, as an hourly extraction sees it: a few orders move on in the last minutes
  // (so source freshness checks find fresh rows), with their payments.
  const recentMs = (k: number) => ctx.extractedAtMs - (k + 1) * rng.int(60, 540) * 1000;
  const open = state.orders.filter((o) => nextStatus(o.versions.at(-1)!.status) && o.versions.at(-1)!.updatedMs < ctx.extractedAtMs - 3_600_000);
  for (const [k, o] of rng.sample(open, 3).entries()) {
    const v = { status: nextStatus(o.versions.at(-1)!.status)!, updatedMs: recentMs(k) };
    o.versions.push(v);
    orderRows.push(orderRow(rng, ctx, o, v));
    txValues.push(...transactionsFor(rng, state, o, v.status, v.updatedMs, ctx.extractedAtMs));
  }
  txValues.push(transactionValues(state, {
    accountId: rng.pick(referencableAccounts), order: null, type: 'adjustment', amountCents: rng.int(100, 50_000), gl: '7000-ADJUSTMENTS', postedMs: recentMs(0),
  }));
  const nOrders = kit.dirtCount(sizes.orders);
  const dirtyOrder = (count: number, plant: (o: Order, k: number) => Partial<Record<string, unknown>>) => {
    for (let k = 0; k < count; k++) {
      // Spread planted rows a minute apart so `created_at` identifies each one.
      const created = ctx.windowStartMs + (k + 1) * 60_000 + Math.floor(rng.next() * (span * 0.9));
      const o = newOrder(rng, state.nextOrder++, rng.pick(customers), rng.pick(state.products), Math.floor(created / 1000) * 1000, ctx.extractedAtMs);
      o.versions = [{ status: 'created', updatedMs: o.createdMs }];
      orderRows.push(orderRow(rng, ctx, o, o.versions[0]!, { customer_email: o.customer.email, ...plant(o, k) }));
    }
  };
  const blankIdCreated = new Set<string>();
  dirtyOrder(nOrders, (o, k) => {
    let created = o.createdMs;
    while (blankIdCreated.has(isoTimestamp(created))) created += 1000;
    blankIdCreated.add(isoTimestamp(created));
    ledger.plant('order_id_not_null', isoTimestamp(created));
    return { order_id: k % 2 === 0 ? '' : '  ', created_at: isoTimestamp(created) };
  });
  dirtyOrder(nOrders, (o) => {
    ledger.plant('order_customer_id_not_null', o.id);
    return { customer_id: null };
  });
  dirtyOrder(nOrders, (o, k) => {
    ledger.plant('order_amount_positive', o.id);
    return { amount: k % 3 === 0 ? '0.00' : cents(-o.amountCents) };
  });
  dirtyOrder(nOrders, (o, k) => {
    ledger.plant('order_date_in_range', o.id);
    return { order_date: ['1999-12-31', '2031-01-01', '2014-12-31', '2099-07-04'][k % 4] };
  });
  dirtyOrder(nOrders, (o, k) => {
    ledger.plant('order_email_valid', o.id);
    const local = o.customer.email.split('@')[0]!;
    return { customer_email: MALFORMED_EMAILS[k % MALFORMED_EMAILS.length]!(local) };
  });
  out.set(KEYS.orders, rng.shuffle(orderRows));

  // Transactions: payments, fees and refunds of clean orders, GL adjustments, planted out-of-range amounts.
  for (let i = 0; i < Math.round(sizes.orders * 0.1); i++) {
    txValues.push(transactionValues(state, {
      accountId: rng.pick(referencableAccounts), order: null, type: 'adjustment',
      amountCents: rng.int(-500_000, 500_000) || 100, gl: '7000-ADJUSTMENTS', postedMs: at(rng),
    }));
  }
  for (let k = 0; k < kit.dirtCount(sizes.orders); k++) {
    const amountCents = k % 2 === 0 ? 1_250_000_000 + k * 100 : -2_500_000_000 - k * 100;
    const tx = transactionValues(state, { accountId: rng.pick(referencableAccounts), order: null, type: 'adjustment', amountCents, gl: '7000-ADJUSTMENTS', postedMs: at(rng) });
    ledger.plant('transaction_amount_in_range', String(tx.transaction_id));
    txValues.push(tx);
  }
  state.transactions.push(...txValues);
  const txRows = txValues.map((v) => transactionRow(ctx, v));
  for (const v of rng.sample(txValues, Math.max(2, Math.round(txValues.length * 0.02)))) txRows.push(transactionRow(ctx, v));
  out.set(KEYS.transactions, rng.shuffle(txRows));
  return state;
}

export function snowflakeIncrement(
  kit: GeneratorKit,
  ctx: RunContext,
  state: SnowflakeState,
  customers: Customer[],
  out: BatchRows,
): Record<string, IncrementFacts> {
  const rng = kit.rng('snowflake.increment');
  const span = ctx.extractedAtMs - ctx.windowStartMs;
  const at = (r: Rng) => ctx.windowStartMs + Math.floor(r.next() * span * 0.9);
  const facts = { products: emptyIncrementFacts(), orders: emptyIncrementFacts(), transactions: emptyIncrementFacts() };

  // Products: a few price changes and a few new products.
  const productRows: BronzeRow[] = [];
  for (const p of rng.sample(state.products, Math.max(2, Math.round(state.products.length * 0.05)))) {
    p.updatedMs = at(rng);
    p.priceCents += rng.int(1, 20) * 100;
    productRows.push(productRow(rng, ctx, p));
    facts.products.updatedKeys.push(p.id);
  }
  for (let i = 0; i < Math.max(2, Math.round(state.products.length * 0.03)); i++) {
    const p = newProduct(rng, state.nextProduct++, at(rng));
    state.products.push(p);
    productRows.push(productRow(rng, ctx, p));
    facts.products.newKeys.push(p.id);
  }

  // Orders: open orders move on, some late re-extractions of an older version, new orders.
  const orderRows: BronzeRow[] = [];
  const txValues: Array<Record<string, unknown>> = [];
  const open = state.orders.filter((o) => !TERMINAL.has(o.versions.at(-1)!.status) && nextStatus(o.versions.at(-1)!.status));
  const moving = rng.sample(open, Math.max(2, Math.round(state.orders.length * 0.1)));
  for (const o of moving) {
    const v = { status: nextStatus(o.versions.at(-1)!.status)!, updatedMs: at(rng) };
    o.versions.push(v);
    orderRows.push(orderRow(rng, ctx, o, v));
    txValues.push(...transactionsFor(rng, state, o, v.status, v.updatedMs, ctx.extractedAtMs));
    facts.orders.updatedKeys.push(o.id);
  }
  const movingIds = new Set(moving.map((o) => o.id));
  const multiVersion = state.orders.filter((o) => o.versions.length >= 2 && !movingIds.has(o.id));
  for (const o of rng.sample(multiVersion, Math.max(2, Math.round(state.orders.length * 0.02)))) {
    orderRows.push(orderRow(rng, ctx, o, o.versions[0]!));
    facts.orders.staleKeys.push(o.id);
  }
  for (let i = 0; i < Math.max(3, Math.round(state.orders.length * 0.1)); i++) {
    const o = newOrder(rng, state.nextOrder++, rng.pick(customers), rng.pick(state.products), at(rng), ctx.extractedAtMs);
    state.orders.push(o);
    for (const v of o.versions) {
      orderRows.push(orderRow(rng, ctx, o, v));
      txValues.push(...transactionsFor(rng, state, o, v.status, v.updatedMs, ctx.extractedAtMs));
    }
    facts.orders.newKeys.push(o.id);
  }

  // Transactions: new ones, plus an overlapping window that re-extracts a few already landed.
  const txRows = txValues.map((v) => transactionRow(ctx, v));
  facts.transactions.newKeys.push(...txValues.map((v) => String(v.transaction_id)));
  for (const v of rng.sample(state.transactions, Math.max(2, Math.round(state.transactions.length * 0.01)))) {
    txRows.push(transactionRow(ctx, v));
    facts.transactions.staleKeys.push(String(v.transaction_id));
  }
  state.transactions.push(...txValues);

  out.set(KEYS.products, rng.shuffle(productRows));
  out.set(KEYS.orders, rng.shuffle(orderRows));
  out.set(KEYS.transactions, rng.shuffle(txRows));
  facts.products.bronzeRows = productRows.length;
  facts.orders.bronzeRows = orderRows.length;
  facts.transactions.bronzeRows = txRows.length;
  return { [KEYS.products]: facts.products, [KEYS.orders]: facts.orders, [KEYS.transactions]: facts.transactions };
}

