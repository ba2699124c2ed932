/**
 * Kafka topics: user_events, order_events, inventory_updates. Messages get a partition from their
 * key and consecutive offsets per partition in production order, like a real log. Dirt here is the
 * kind streams have: at-least-once re-deliveries (same event, new offset) and late events (old
 * event time, produced and consumed in a later batch, landing in an older bronze partition).
 */
import { emptyIncrementFacts, type BatchRows, type BronzeRow, type GeneratorKit, type RunContext } from './batch.js';
import type { IncrementFacts } from './ledger.js';
import type { Rng } from './prng.js';
import type { Order, Product } from './snowflake.js';
import { APP_VERSIONS, DEVICES, EVENT_TYPES, INVENTORY_REASONS, PAGES, WAREHOUSES } from './vocabulary.js';
import type { Customer } from './world.js';
import { cents, isoDate, isoTimestamp, MS_PER_DAY } from './values.js';

export const KEYS = { userEvents: 'kafka.user_events', orderEvents: 'kafka.order_events', inventory: 'kafka.inventory_updates' };

interface Message {
  key: string | null;
  value: Record<string, unknown>;
  eventMs: number;
  producedMs: number;
  /** Set for re-deliveries: the partition of the first delivery. */
  partition?: number;
}

/** FNV-1a: a stable key hash for partition assignment. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** One topic's log: next offset per partition, carried from the base batch to the increment. */
export class TopicLog {
  private readonly nextOffset: number[];
  constructor(
    readonly topic: string,
    readonly partitions: number,
  ) {
    this.nextOffset = new Array<number>(partitions).fill(0);
  }

  /** Appends messages in production order and returns them as bronze rows. */
  append(rng: Rng, ctx: RunContext, messages: Message[]): BronzeRow[] {
    const ordered = [...messages].sort((a, b) => a.producedMs - b.producedMs);
    return ordered.map((m) => {
      const partition = m.partition ?? (m.key === null ? rng.int(0, this.partitions - 1) : hash(m.key) % this.partitions);
      m.partition = partition;
      const offset = this.nextOffset[partition]!;
      this.nextOffset[partition] = offset + 1;
      return {
        ingestDate: isoDate(m.eventMs),
        values: {
          ...m.value,
          _run_id: ctx.runId,
          _extracted_at: new Date(ctx.extractedAtMs).toISOString(),
          _source: `kafka:${this.topic}`,
          _cursor_value: `${partition}:${offset}`,
          _is_deleted: false,
          _topic: this.topic,
          _partition: partition,
          _offset: offset,
          _kafka_timestamp: new Date(m.producedMs).toISOString(),
          _key: m.key,
        },
      };
    });
  }
}

export interface KafkaState {
  logs: { userEvents: TopicLog; orderEvents: TopicLog; inventory: TopicLog };
  /** Quantity on hand per `product|warehouse`. */
  onHand: Map<string, number>;
}

/** Re-deliveries of `count` already produced messages (a producer retry: same payload, later offset). */
function redeliver(rng: Rng, messages: Message[], count: number): Message[] {
  return rng.sample(messages, count).map((m) => ({ ...m, producedMs: m.producedMs + rng.int(1, 5) * 1000 }));
}

function sessionEvents(rng: Rng, customers: Customer[], products: Product[], startMs: number): Message[] {
  const user = rng.chance(0.8) ? rng.pick(customers).id : null;
  const device = rng.pick(DEVICES);
  const sessionId = rng.uuid();
  const out: Message[] = [];
  let at = startMs;
  for (let i = rng.int(2, 10); i > 0; i--) {
    const eventType = out.length === 0 ? 'page_view' : rng.pick(EVENT_TYPES);
    const product = rng.pick(products);
    const properties: Record<string, string> =
      eventType === 'search' ? { query: product.subcategory } : eventType.includes('cart') || eventType === 'product_view' ? { product_id: product.id } : {};
    const value = {
      event_id: rng.uuid(),
      user_id: user,
      session_id: sessionId,
      event_type: eventType,
      page_url: eventType === 'product_view' ? `/p/${product.id}` : rng.pick(PAGES),
      device: { type: device.type, os: device.os, app_version: rng.pick(APP_VERSIONS) },
      properties,
      event_timestamp: isoTimestamp(at),
    };
    out.push({ key: user, value, eventMs: Math.floor(at / 1000) * 1000, producedMs: at + rng.int(0, 2000) });
    at += rng.int(5, 180) * 1000;
  }
  return out;
}

function userEvents(rng: Rng, count: number, customers: Customer[], products: Product[], fromMs: number, toMs: number): Message[] {
  const out: Message[] = [];
  while (out.length < count) {
    const start = fromMs + Math.floor(rng.next() * (toMs - fromMs - 3_600_000));
    out.push(...sessionEvents(rng, customers, products, start));
  }
  return out;
}

function orderEvents(rng: Rng, orders: Order[], fromMs: number, toMs: number): Message[] {
  const out: Message[] = [];
  for (const o of orders) {
    for (const v of o.versions) {
      if (v.updatedMs < fromMs || v.updatedMs >= toMs) continue;
      const value = {
        event_id: rng.uuid(),
        order_id: o.id,
        customer_id: o.customer.id,
        event_type: v.status,
        amount: cents(o.amountCents),
        items: [{ product_id: o.productId, quantity: o.quantity }],
        event_timestamp: isoTimestamp(v.updatedMs),
      };
      out.push({ key: o.id, value, eventMs: Math.floor(v.updatedMs / 1000) * 1000, producedMs: v.updatedMs + rng.int(0, 3000) });
    }
  }
  return out;
}

function inventoryUpdates(rng: Rng, count: number, products: Product[], onHand: Map<string, number>, fromMs: number, toMs: number): Message[] {
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs - 60_000))).sort((a, b) => a - b);
  return times.map((at) => {
    const product = rng.pick(products);
    const warehouse = rng.pick(WAREHOUSES);
    const key = `${product.id}|${warehouse}`;
    const current = onHand.get(key);
    let reason: string;
    let change: number;
    if (current === undefined || current < 5) {
      reason = 'receipt';
      change = rng.int(50, 500);
    } else {
      reason = rng.pick(INVENTORY_REASONS);
      change = reason === 'receipt' ? rng.int(20, 200) : reason === 'return' ? rng.int(1, 3) : -rng.int(1, Math.min(5, current));
    }
    const next = (current ?? 0) + change;
    onHand.set(key, next);
    const value = {
      update_id: rng.uuid(),
      product_id: product.id,
      warehouse_id: warehouse,
      quantity_change: change,
      quantity_on_hand: next,
      reason,
      event_timestamp: isoTimestamp(at),
    };
    return { key: product.id, value, eventMs: Math.floor(at / 1000) * 1000, producedMs: at + rng.int(0, 1500) };
  });
}

export function kafkaBase(
  kit: GeneratorKit,
  ctx: RunContext,
  sizes: { userEvents: number; inventoryUpdates: number },
  world: { customers: Customer[]; products: Product[]; orders: Order[] },
  out: BatchRows,
): KafkaState {
  const rng = kit.rng('kafka.base');
  const state: KafkaState = {
    logs: { userEvents: new TopicLog('user_events', 12), orderEvents: new TopicLog('order_events', 8), inventory: new TopicLog('inventory_updates', 6) },
    onHand: new Map(),
  };
  // Streams keep a week of history; orders carry their whole lifetime as events.
  const weekAgo = ctx.extractedAtMs - 7 * MS_PER_DAY;
  const ue = userEvents(rng, sizes.userEvents, world.customers, world.products, weekAgo, ctx.extractedAtMs);
  // A session in the last minutes: a live topic always has fresh events.
  ue.push(...sessionEvents(rng, world.customers, world.products, ctx.extractedAtMs - 15 * 60_000).filter((m) => m.producedMs < ctx.extractedAtMs));
  const oe = orderEvents(rng, world.orders, ctx.windowStartMs, ctx.extractedAtMs);
  const iu = [
    ...inventoryUpdates(rng, sizes.inventoryUpdates, world.products, state.onHand, weekAgo, ctx.extractedAtMs - 600_000),
    ...inventoryUpdates(rng, 2, world.products, state.onHand, ctx.extractedAtMs - 600_000, ctx.extractedAtMs),
  ];
  out.set(KEYS.userEvents, state.logs.userEvents.append(rng, ctx, [...ue, ...redeliver(rng, ue, kit.dirtCount(ue.length))]));
  out.set(KEYS.orderEvents, state.logs.orderEvents.append(rng, ctx, [...oe, ...redeliver(rng, oe, kit.dirtCount(oe.length))]));
  out.set(KEYS.inventory, state.logs.inventory.append(rng, ctx, [...iu, ...redeliver(rng, iu, kit.dirtCount(iu.length))]));
  return state;
}

export function kafkaIncrement(
  kit: GeneratorKit,
  ctx: RunContext,
  state: KafkaState,
  sizes: { userEvents: number; inventoryUpdates: number },
  world: { customers: Customer[]; products: Product[]; orders: Order[] },
  out: BatchRows,
): Record<string, IncrementFacts> {
  const rng = kit.rng('kafka.increment');
  const facts = { userEvents: emptyIncrementFacts(), orderEvents: emptyIncrementFacts(), inventory: emptyIncrementFacts() };
  const ue = userEvents(rng, Math.round(sizes.userEvents / 7), world.customers, world.products, ctx.windowStartMs, ctx.extractedAtMs);
  // Late events: happened one to three days before the previous extraction, delivered only now.
  const late = userEvents(rng, kit.dirtCount(sizes.userEvents), world.customers, world.products, ctx.windowStartMs - 3 * MS_PER_DAY, ctx.windowStartMs - MS_PER_DAY).map((m) => ({
    ...m,
    producedMs: ctx.windowStartMs + Math.floor(rng.next() * (ctx.extractedAtMs - ctx.windowStartMs - 60_000)),
  }));
  const oe = orderEvents(rng, world.orders, ctx.windowStartMs, ctx.extractedAtMs);
  const iu = inventoryUpdates(rng, Math.round(sizes.inventoryUpdates / 7), world.products, state.onHand, ctx.windowStartMs, ctx.extractedAtMs);
  const ueRows = state.logs.userEvents.append(rng, ctx, [...ue, ...late]);
  const oeRows = state.logs.orderEvents.append(rng, ctx, oe);
  const iuRows = state.logs.inventory.append(rng, ctx, iu);
  out.set(KEYS.userEvents, ueRows);
  out.set(KEYS.orderEvents, oeRows);
  out.set(KEYS.inventory, iuRows);
  facts.userEvents.lateKeys = late.map((m) => String(m.value.event_id));
  facts.userEvents.newKeys = [...ue.map((m) => String(m.value.event_id)), ...facts.userEvents.lateKeys];
  facts.orderEvents.newKeys = oe.map((m) => String(m.value.event_id));
  facts.inventory.newKeys = iu.map((m) => String(m.value.update_id));
  facts.userEvents.bronzeRows = ueRows.length;
  facts.orderEvents.bronzeRows = oeRows.length;
  facts.inventory.bronzeRows = iuRows.length;
  return { [KEYS.userEvents]: facts.userEvents, [KEYS.orderEvents]: facts.orderEvents, [KEYS.inventory]: facts.inventory };
}
