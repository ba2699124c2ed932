/** Word lists the generator draws realistic-looking values from. */

export const FIRST_NAMES = [
  'Ava', 'Liam', 'Mia', 'Noah', 'Emma', 'Lucas', 'Sofia', 'Mateo', 'Chloe', 'Arjun', 'Yuki', 'Amara',
  'Omar', 'Ingrid', 'Chen', 'Fatima', 'Diego', 'Hannah', 'Kwame', 'Elena', 'Tomas', 'Priya', 'Jonas', 'Leila',
] as const;

export const LAST_NAMES = [
  'Smith', 'Garcia', 'Nguyen', 'Müller', 'Rossi', 'Kowalski', 'Okafor', 'Tanaka', 'Silva', 'Johansson',
  'Patel', 'Dubois', 'Haddad', 'Kim', "O'Brien", 'Novak', 'Fischer', 'Mensah', 'Costa', 'Larsen',
] as const;

export const EMAIL_DOMAINS = ['example.com', 'mail.example.org', 'corp.example.net', 'shop.example.io'] as const;

export const CITIES = [
  ['Seattle', 'US'], ['Austin', 'US'], ['Boston', 'US'], ['Toronto', 'CA'], ['London', 'GB'], ['Berlin', 'DE'],
  ['Paris', 'FR'], ['Madrid', 'ES'], ['Amsterdam', 'NL'], ['Stockholm', 'SE'], ['Tokyo', 'JP'], ['Sydney', 'AU'],
] as const;

export const STREETS = ['Main St', 'Oak Ave', 'High St', 'Harbour Rd', 'Station Rd', 'Market Sq', 'Elm St', 'Park Lane'] as const;

/** Must match project.yaml vars.accepted_product_categories: clean products only use these. */
export const CATEGORIES = ['electronics', 'apparel', 'home', 'sports', 'beauty', 'grocery', 'toys'] as const;
export const UNKNOWN_CATEGORIES = ['gadgets', 'misc', 'clearance bin', 'unknown'] as const;

export const SUBCATEGORIES: Record<(typeof CATEGORIES)[number], readonly string[]> = {
  electronics: ['phones', 'laptops', 'audio', 'cameras'],
  apparel: ['shirts', 'shoes', 'outerwear', 'accessories'],
  home: ['kitchen', 'furniture', 'bedding', 'decor'],
  sports: ['running', 'cycling', 'fitness', 'outdoor'],
  beauty: ['skincare', 'fragrance', 'haircare'],
  grocery: ['coffee', 'snacks', 'pantry'],
  toys: ['puzzles', 'building', 'plush'],
};

export const BRANDS = ['Acme', 'Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne'] as const;
export const ADJECTIVES = ['Classic', 'Pro', 'Lite', 'Ultra', 'Eco', 'Smart', 'Deluxe', 'Compact'] as const;

export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export const ORDER_STATUS_FLOW = ['created', 'paid', 'shipped', 'delivered'] as const;

export const INDUSTRIES = ['Technology', 'Retail', 'Manufacturing', 'Healthcare', 'Finance', 'Education', 'Media'] as const;
export const ACCOUNT_TYPES = ['Customer', 'Prospect', 'Partner', 'Reseller'] as const;
export const LEAD_SOURCES = ['Web', 'Trade Show', 'Referral', 'Partner', 'Cold Call', 'Advertisement'] as const;
export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Not Converted'] as const;

/** Salesforce's default opportunity stages with their default probabilities. */
export const STAGES = [
  ['Prospecting', 10],
  ['Qualification', 20],
  ['Needs Analysis', 40],
  ['Proposal/Price Quote', 60],
  ['Negotiation/Review', 80],
  ['Closed Won', 100],
  ['Closed Lost', 0],
] as const;

export const EVENT_TYPES = ['page_view', 'product_view', 'search', 'add_to_cart', 'remove_from_cart', 'checkout', 'purchase'] as const;
export const DEVICES = [
  { type: 'desktop', os: 'Windows' },
  { type: 'desktop', os: 'macOS' },
  { type: 'mobile', os: 'iOS' },
  { type: 'mobile', os: 'Android' },
  { type: 'tablet', os: 'iPadOS' },
] as const;
export const APP_VERSIONS = ['5.2.0', '5.3.1', '5.4.0'] as const;
export const PAGES = ['/', '/search', '/cart', '/checkout', '/account', '/deals'] as const;

export const WAREHOUSES = ['WH-SEA', 'WH-AUS', 'WH-AMS'] as const;
export const INVENTORY_REASONS = ['receipt', 'sale', 'return', 'adjustment', 'damage'] as const;

/** Emails no reasonable validator accepts (no @, nothing before or after it, inner space, two @). */
export const MALFORMED_EMAILS = [
  (local: string) => `${local}.example.com`,
  (local: string) => `${local}@`,
  (_local: string) => '@example.com',
  (local: string) => `${local.replace('.', ' ')}@example.com`,
  (local: string) => `${local}@@example.com`,
] as const;
