/**
 * Salesforce objects: accounts, leads, opportunities. Each record can have several versions
 * (SystemModstamp moves on), deletes arrive as a last version with IsDeleted = true (queryAll),
 * and dirty records are planted on ids of their own. Deleted accounts are never referenced by
 * other objects, so relationship tests in gold stay meaningful.
 */
import { batchMetadata, emptyIncrementFacts, type BatchRows, type BronzeRow, type GeneratorKit, type RunContext } from './batch.js';
import type { IncrementFacts } from './ledger.js';
import type { Rng } from './prng.js';
import { ACCOUNT_TYPES, BRANDS, CITIES, EMAIL_DOMAINS, FIRST_NAMES, INDUSTRIES, LAST_NAMES, LEAD_SOURCES, LEAD_STATUSES, MALFORMED_EMAILS, STAGES } from './vocabulary.js';
import { accountId, personEmail, type Customer } from './world.js';
import { cents, isoDate, isoTimestamp, MS_PER_DAY, pad } from './values.js';

export const KEYS = { accounts: 'salesforce.accounts', leads: 'salesforce.leads', opportunities: 'salesforce.opportunities' };
const SOURCE = { accounts: 'salesforce:Account', leads: 'salesforce:Lead', opportunities: 'salesforce:Opportunity' };

interface SfRecord {
  id: string;
  values: Record<string, unknown>;
  createdMs: number;
  modMs: number;
  deleted: boolean;
}

export interface SalesforceState {
  accounts: SfRecord[];
  leads: SfRecord[];
  opportunities: SfRecord[];
  /** Accounts other objects may point at (never deleted). */
  referencable: string[];
  /** Accounts nothing points at: the only ones the generator deletes. */
  unreferenced: string[];
  next: { account: number; lead: number; opportunity: number };
}

const leadId = (i: number) => `00Q${pad(i, 12)}AAA`;
const opportunityId = (i: number) => `006${pad(i, 12)}AAA`;
const ownerId = (i: number) => `005${pad(i, 12)}AAA`;

function row(ctx: RunContext, source: string, r: SfRecord, overrides: Record<string, unknown> = {}): BronzeRow {
  const modstamp = isoTimestamp(r.modMs);
  const values = { ...r.values, created_date: isoTimestamp(r.createdMs), system_modstamp: modstamp, is_deleted: r.deleted, ...overrides };
  return { ingestDate: ctx.ingestDate, values: { ...values, ...batchMetadata(ctx, source, modstamp, Boolean(values.is_deleted)) } };
}

function newAccount(rng: Rng, n: number, createdMs: number): SfRecord {
  const [city, country] = rng.pick(CITIES);
  return {
    id: accountId(n),
    createdMs,
    modMs: createdMs,
    deleted: false,
    values: {
      account_id: accountId(n),
      account_name: `${rng.pick(BRANDS)} ${rng.pick(['Holdings', 'Group', 'Labs', 'Retail', 'Systems'])} ${n}`,
      industry: rng.pick(INDUSTRIES),
      account_type: rng.pick(ACCOUNT_TYPES),
      billing_country: country,
      billing_city: city,
      phone: `+1-555-${pad(rng.int(0, 9999), 4)}`,
      annual_revenue: cents(rng.int(1_000, 500_000) * 100_000),
      number_of_employees: rng.int(5, 20_000),
    },
  };
}

function newLead(rng: Rng, n: number, createdMs: number, customers: Customer[], accounts: string[]): SfRecord {
  const known = customers.length > 0 && rng.chance(0.4) ? rng.pick(customers) : undefined;
  const first = known?.firstName ?? rng.pick(FIRST_NAMES);
  const last = known?.lastName ?? rng.pick(LAST_NAMES);
  const email = known?.email ?? personEmail(first, last, 90_000 + n, rng.pick(EMAIL_DOMAINS));
  const converted = rng.chance(0.2);
  return {
    id: leadId(n),
    createdMs,
    modMs: createdMs,
    deleted: false,
    values: {
      lead_id: leadId(n),
      first_name: first,
      last_name: last,
      email: rng.chance(0.15) ? email.toUpperCase() : email,
      phone: `+1-555-${pad(rng.int(0, 9999), 4)}`,
      company: `${rng.pick(BRANDS)} ${rng.pick(['Inc', 'GmbH', 'Ltd', 'LLC'])}`,
      lead_source: rng.pick(LEAD_SOURCES),
      status: converted ? 'Closed - Converted' : rng.pick(LEAD_STATUSES),
      annual_revenue: cents(rng.int(100, 90_000) * 100_000),
      is_converted: converted,
      converted_account_id: converted ? rng.pick(accounts) : null,
    },
  };
}

function stageValues(stage: number): Record<string, unknown> {
  const [name, probability] = STAGES[stage]!;
  return { stage_name: name, probability, is_closed: name.startsWith('Closed'), is_won: name === 'Closed Won' };
}

function newOpportunity(rng: Rng, n: number, createdMs: number, account: string): SfRecord {
  return {
    id: opportunityId(n),
    createdMs,
    modMs: createdMs,
    deleted: false,
    values: {
      opportunity_id: opportunityId(n),
      account_id: account,
      opportunity_name: `Opportunity ${n}: ${rng.pick(['Renewal', 'Expansion', 'New Business', 'Upsell'])}`,
      ...stageValues(rng.int(0, 4)),
      amount: cents(rng.int(10, 20_000) * 10_000),
      close_date: isoDate(createdMs + rng.int(30, 120) * MS_PER_DAY),
      owner_id: ownerId(rng.int(1, 12)),
    },
  };
}

/** A newer version of `r`: modstamp moves to `atMs`, fields change through `change`. */
function revise(r: SfRecord, atMs: number, change: Record<string, unknown> = {}): SfRecord {
  r.modMs = atMs;
  Object.assign(r.values, change);
  return r;
}

function advanceStage(rng: Rng, r: SfRecord): Record<string, unknown> {
  const current = STAGES.findIndex(([name]) => name === r.values.stage_name);
  if (current >= 4) return stageValues(rng.chance(0.6) ? 5 : 6);
  return stageValues(current + 1);
}

export function salesforceBase(
  kit: GeneratorKit,
  ctx: RunContext,
  sizes: { accounts: number; leads: number; opportunities: number },
  customers: Customer[],
  out: BatchRows,
): SalesforceState {
  const { ledger } = kit;
  const rng = kit.rng('salesforce.base');
  const span = ctx.extractedAtMs - ctx.windowStartMs;
  const at = (r: Rng) => ctx.windowStartMs + Math.floor(r.next() * span * 0.9);
  const later = (ms: number) => Math.min(ms + rng.int(1, 36) * 3_600_000, ctx.extractedAtMs - 60_000);
  ledger.declare('account_id_not_null', { source: KEYS.accounts, model: 'stg_accounts', test: 'not_null', column: 'account_id', locatorColumn: 'account_name' });
  ledger.declare('lead_id_not_null', { source: KEYS.leads, model: 'stg_leads', test: 'not_null', column: 'lead_id', locatorColumn: 'email' });
  ledger.declare('lead_email_valid', { source: KEYS.leads, model: 'stg_leads', test: 'email', column: 'email', locatorColumn: 'lead_id' });
  ledger.declare('opportunity_id_not_null', { source: KEYS.opportunities, model: 'stg_opportunities', test: 'not_null', column: 'opportunity_id', locatorColumn: 'opportunity_name' });
  ledger.declare('opportunity_account_id_not_null', { source: KEYS.opportunities, model: 'stg_opportunities', test: 'not_null', column: 'account_id', locatorColumn: 'opportunity_id' });
  ledger.declare('opportunity_amount_in_range', { source: KEYS.opportunities, model: 'stg_opportunities', test: 'range', column: 'amount', locatorColumn: 'opportunity_id' });

  const state: SalesforceState = { accounts: [], leads: [], opportunities: [], referencable: [], unreferenced: [], next: { account: 1, lead: 1, opportunity: 1 } };
  const d = (n: number) => kit.dirtCount(n);

  // Accounts: 80% may be referenced; deletes only ever hit the other 20%.
  const accountRows: BronzeRow[] = [];
  for (let i = 0; i < sizes.accounts; i++) {
    const a = newAccount(rng, state.next.account++, at(rng));
    state.accounts.push(a);
    (i < Math.floor(sizes.accounts * 0.8) ? state.referencable : state.unreferenced).push(a.id);
    if (rng.chance(0.2)) {
      accountRows.push(row(ctx, SOURCE.accounts, a));
      revise(a, later(a.modMs), { number_of_employees: Number(a.values.number_of_employees) + rng.int(1, 50) });
    }
    accountRows.push(row(ctx, SOURCE.accounts, a));
  }
  // Recent edits, as an hourly extraction sees them (keeps freshness checks green).
  const recent = (records: SfRecord[], rows: BronzeRow[], source: string) => {
    for (const [k, r] of rng.sample(records, 2).entries()) {
      rows.push(row(ctx, source, revise(r, ctx.extractedAtMs - (k + 1) * rng.int(120, 900) * 1000)));
    }
  };
  recent(state.accounts.slice(0, Math.floor(sizes.accounts * 0.8)), accountRows, SOURCE.accounts);
  for (const id of state.unreferenced.slice(0, d(sizes.accounts))) {
    const a = state.accounts.find((x) => x.id === id)!;
    revise(a, later(a.modMs));
    a.deleted = true;
    accountRows.push(row(ctx, SOURCE.accounts, a));
  }
  for (let k = 0; k < d(sizes.accounts); k++) {
    const a = newAccount(rng, state.next.account++, at(rng));
    ledger.plant('account_id_not_null', String(a.values.account_name));
    accountRows.push(row(ctx, SOURCE.accounts, a, { account_id: k % 2 === 0 ? '' : ' ' }));
  }
  out.set(KEYS.accounts, rng.shuffle(accountRows));

  // Leads.
  const leadRows: BronzeRow[] = [];
  for (let i = 0; i < sizes.leads; i++) {
    const l = newLead(rng, state.next.lead++, at(rng), customers, state.referencable);
    state.leads.push(l);
    if (rng.chance(0.2)) {
      leadRows.push(row(ctx, SOURCE.leads, l));
      revise(l, later(l.modMs), { status: l.values.is_converted ? 'Closed - Converted' : 'Working - Contacted' });
    }
    leadRows.push(row(ctx, SOURCE.leads, l));
  }
  recent(state.leads, leadRows, SOURCE.leads);
  for (const l of rng.sample(state.leads, d(sizes.leads))) {
    revise(l, later(l.modMs));
    l.deleted = true;
    leadRows.push(row(ctx, SOURCE.leads, l));
  }
  const dirtyLead = (count: number, plant: (l: SfRecord, k: number) => Record<string, unknown>) => {
    for (let k = 0; k < count; k++) {
      const l = newLead(rng, state.next.lead++, at(rng), [], state.referencable);
      l.values.email = String(l.values.email).toLowerCase();
      leadRows.push(row(ctx, SOURCE.leads, l, plant(l, k)));
    }
  };
  dirtyLead(d(sizes.leads), (l, k) => {
    ledger.plant('lead_id_not_null', String(l.values.email));
    return { lead_id: k % 2 === 0 ? '' : '  ' };
  });
  dirtyLead(d(sizes.leads), (l, k) => {
    ledger.plant('lead_email_valid', l.id);
    return { email: MALFORMED_EMAILS[k % MALFORMED_EMAILS.length]!(String(l.values.email).split('@')[0]!) };
  });
  out.set(KEYS.leads, rng.shuffle(leadRows));

  // Opportunities.
  const oppRows: BronzeRow[] = [];
  for (let i = 0; i < sizes.opportunities; i++) {
    const o = newOpportunity(rng, state.next.opportunity++, at(rng), rng.pick(state.referencable));
    state.opportunities.push(o);
    for (let v = rng.int(0, 2); v > 0; v--) {
      oppRows.push(row(ctx, SOURCE.opportunities, o));
      revise(o, later(o.modMs), advanceStage(rng, o));
    }
    oppRows.push(row(ctx, SOURCE.opportunities, o));
  }
  recent(state.opportunities, oppRows, SOURCE.opportunities);
  for (const o of rng.sample(state.opportunities, d(sizes.opportunities))) {
    revise(o, later(o.modMs));
    o.deleted = true;
    oppRows.push(row(ctx, SOURCE.opportunities, o));
  }
  const dirtyOpp = (count: number, plant: (o: SfRecord, k: number) => Record<string, unknown>) => {
    for (let k = 0; k < count; k++) {
      const o = newOpportunity(rng, state.next.opportunity++, at(rng), rng.pick(state.referencable));
      oppRows.push(row(ctx, SOURCE.opportunities, o, plant(o, k)));
    }
  };
  dirtyOpp(d(sizes.opportunities), (o, k) => {
    ledger.plant('opportunity_id_not_null', String(o.values.opportunity_name));
    return { opportunity_id: k % 2 === 0 ? '' : '   ' };
  });
  dirtyOpp(d(sizes.opportunities), (o) => {
    ledger.plant('opportunity_account_id_not_null', o.id);
    return { account_id: null };
  });
  dirtyOpp(d(sizes.opportunities), (o, k) => {
    ledger.plant('opportunity_amount_in_range', o.id);
    return { amount: k % 2 === 0 ? cents(-50_000 - k) : cents(1_500_000_000 + k) };
  });
  out.set(KEYS.opportunities, rng.shuffle(oppRows));
  return state;
}

export function salesforceIncrement(kit: GeneratorKit, ctx: RunContext, state: SalesforceState, customers: Customer[], out: BatchRows): Record<string, IncrementFacts> {
  const rng = kit.rng('salesforce.increment');
  const span = ctx.extractedAtMs - ctx.windowStartMs;
  const at = (r: Rng) => ctx.windowStartMs + Math.floor(r.next() * span * 0.9);
  const live = (records: SfRecord[]) => records.filter((r) => !r.deleted);
  const facts = { accounts: emptyIncrementFacts(), leads: emptyIncrementFacts(), opportunities: emptyIncrementFacts() };

  const accountRows: BronzeRow[] = [];
  for (const a of rng.sample(live(state.accounts), Math.max(2, Math.round(state.accounts.length * 0.05)))) {
    revise(a, at(rng), { annual_revenue: cents(rng.int(1_000, 500_000) * 100_000) });
    accountRows.push(row(ctx, SOURCE.accounts, a));
    facts.accounts.updatedKeys.push(a.id);
  }
  const updated = new Set(facts.accounts.updatedKeys);
  const deletable = live(state.accounts).filter((a) => state.unreferenced.includes(a.id) && !updated.has(a.id));
  for (const a of deletable.slice(0, 1)) {
    revise(a, at(rng));
    a.deleted = true;
    accountRows.push(row(ctx, SOURCE.accounts, a));
    facts.accounts.updatedKeys.push(a.id);
  }
  for (let i = 0; i < 2; i++) {
    const a = newAccount(rng, state.next.account++, at(rng));
    state.accounts.push(a);
    state.unreferenced.push(a.id);
    accountRows.push(row(ctx, SOURCE.accounts, a));
    facts.accounts.newKeys.push(a.id);
  }

  const leadRows: BronzeRow[] = [];
  for (const l of rng.sample(live(state.leads), Math.max(2, Math.round(state.leads.length * 0.05)))) {
    revise(l, at(rng), l.values.is_converted ? {} : { status: 'Working - Contacted' });
    leadRows.push(row(ctx, SOURCE.leads, l));
    facts.leads.updatedKeys.push(l.id);
  }
  for (let i = 0; i < Math.max(2, Math.round(state.leads.length * 0.05)); i++) {
    const l = newLead(rng, state.next.lead++, at(rng), customers, state.referencable);
    state.leads.push(l);
    leadRows.push(row(ctx, SOURCE.leads, l));
    facts.leads.newKeys.push(l.id);
  }

  const oppRows: BronzeRow[] = [];
  const openOpps = live(state.opportunities).filter((o) => !o.values.is_closed);
  const moving = rng.sample(openOpps, Math.max(2, Math.round(state.opportunities.length * 0.1)));
  for (const o of moving) {
    revise(o, at(rng), advanceStage(rng, o));
    oppRows.push(row(ctx, SOURCE.opportunities, o));
    facts.opportunities.updatedKeys.push(o.id);
  }
  const notMoving = live(state.opportunities).filter((o) => !moving.includes(o));
  for (const o of notMoving.slice(0, 1)) {
    revise(o, at(rng));
    o.deleted = true;
    oppRows.push(row(ctx, SOURCE.opportunities, o));
    facts.opportunities.updatedKeys.push(o.id);
  }
  for (let i = 0; i < Math.max(2, Math.round(state.opportunities.length * 0.05)); i++) {
    const o = newOpportunity(rng, state.next.opportunity++, at(rng), rng.pick(state.referencable));
    state.opportunities.push(o);
    oppRows.push(row(ctx, SOURCE.opportunities, o));
    facts.opportunities.newKeys.push(o.id);
  }

  out.set(KEYS.accounts, rng.shuffle(accountRows));
  out.set(KEYS.leads, rng.shuffle(leadRows));
  out.set(KEYS.opportunities, rng.shuffle(oppRows));
  facts.accounts.bronzeRows = accountRows.length;
  facts.leads.bronzeRows = leadRows.length;
  facts.opportunities.bronzeRows = oppRows.length;
  return { [KEYS.accounts]: facts.accounts, [KEYS.leads]: facts.leads, [KEYS.opportunities]: facts.opportunities };
}
