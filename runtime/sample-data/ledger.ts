/**
 * The dirt ledger: which rows the generator planted for each data-quality rule, so a spec can
 * check that the project's tests flag exactly those rows and nothing else. Written as
 * `expected-dirt.json` next to the generated bronze data.
 */

/** One data-quality rule and the rows planted to break it. */
export interface PlantedRule {
  /** `sourceName.table` the rows were planted in. */
  source: string;
  /** Silver model whose test must flag them. */
  model: string;
  /** The test that flags them: a generic test name, or `singular:<file name>`. */
  test: string;
  /** Column under test (generic column tests). */
  column?: string;
  /**
   * Column whose value identifies each planted row among the test's failing rows: the key,
   * or another unique column when the rule is about the key itself being null.
   */
  locatorColumn: string;
  /** Locator values of the planted rows, sorted. */
  values: string[];
}

/** What the generator knows about each source table after all batches written so far. */
export interface TableFacts {
  /** Rows in bronze across all batches. */
  bronzeRows: number;
  /** Rows the silver model must hold: one per non-null key, plus every row whose key is null. */
  silverRows: number;
  /** Keys that pass every validity rule and are not deleted: rows expected downstream in gold. */
  validKeys: number;
  /** Keys landed more than once (exact re-deliveries or several versions). */
  duplicatedKeys: string[];
  /** Keys whose latest version is a Salesforce delete (silver flags them, gold drops them). */
  deletedKeys: string[];
}

/** What the increment batch changed, per source table. */
export interface IncrementFacts {
  /** Keys first seen in the increment. */
  newKeys: string[];
  /** Existing keys that received a newer version. */
  updatedKeys: string[];
  /** Existing keys that received an older (late, out-of-order) version, which must not win. */
  staleKeys: string[];
  /** New keys whose event time falls before the previous extraction (late stream events). */
  lateKeys: string[];
  /** Rows the increment landed in bronze. */
  bronzeRows: number;
}

export interface ExpectedDirt {
  generator: 'lakehouse-etl sample-data';
  version: 1;
  seed: string;
  scale: number;
  baseDay: string;
  /** Extraction time of the base batch (ISO-8601); the increment is extracted 24 hours later. */
  baseExtractedAt: string;
  incrementDay: string | null;
  rules: Record<string, PlantedRule>;
  tables: Record<string, TableFacts>;
  increment: Record<string, IncrementFacts> | null;
}

/** Collects planted rows while the batches are generated. */
export class DirtLedger {
  private readonly rules = new Map<string, PlantedRule>();

  declare(id: string, rule: Omit<PlantedRule, 'values'>): void {
    if (!this.rules.has(id)) this.rules.set(id, { ...rule, values: [] });
  }

  plant(id: string, locator: string): void {
    const rule = this.rules.get(id);
    if (!rule) throw new Error(`dirt rule ${id} was not declared`);
    rule.values.push(locator);
  }

  toJSON(): Record<string, PlantedRule> {
    const out: Record<string, PlantedRule> = {};
    for (const id of [...this.rules.keys()].sort()) {
      const rule = this.rules.get(id)!;
      out[id] = { ...rule, values: [...rule.values].sort() };
    }
    return out;
  }
}
