/**
 * The entities every source refers to (customers, products, accounts), drawn once from the seed,
 * so orders, transactions, events and CRM objects agree with each other and every reference a
 * relationship test follows points at a clean row.
 */
import { Rng } from './prng.js';
import { CATEGORIES, CITIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, STREETS } from './vocabulary.js';
import { pad } from './values.js';

export interface Customer {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  address: string;
}

export interface Sizes {
  customers: number;
  products: number;
  orders: number;
  accounts: number;
  leads: number;
  opportunities: number;
  userEvents: number;
  inventoryUpdates: number;
}

/** Table sizes at scale 1; other scales multiply them (with floors so tiny scales still have dirt to find). */
export function sizesFor(scale: number): Sizes {
  const at = (base: number, floor: number) => Math.max(floor, Math.round(base * scale));
  return {
    customers: at(300, 20),
    products: at(120, 12),
    orders: at(1000, 60),
    accounts: at(100, 20),
    leads: at(300, 20),
    opportunities: at(250, 20),
    userEvents: at(5000, 200),
    inventoryUpdates: at(1000, 60),
  };
}

export function personEmail(first: string, last: string, n: number, domain: string): string {
  const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  return `${ascii(first)}.${ascii(last)}${n}@${domain}`;
}

export function makeCustomers(seed: string, count: number): Customer[] {
  const rng = new Rng(seed, 'customers');
  return Array.from({ length: count }, (_, i) => {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const [city, country] = rng.pick(CITIES);
    return {
      id: `C${pad(i + 1, 6)}`,
      firstName,
      lastName,
      email: personEmail(firstName, lastName, i + 1, rng.pick(EMAIL_DOMAINS)),
      address: `${rng.int(1, 999)} ${rng.pick(STREETS)}, ${city}, ${country}`,
    };
  });
}

export const productId = (i: number) => `P${pad(i, 5)}`;
export const accountId = (i: number) => `001${pad(i, 12)}AAA`;
export const categoryOf = (i: number) => CATEGORIES[(i - 1) % CATEGORIES.length]!;
