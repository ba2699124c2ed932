/**
 * Parses the Spark SQL type strings carried by manifest columns (`decimal(18,2)`,
 * `array<struct<a:int,b:string>>`) back into the compiler's SqlType tree, so the writer and
 * the schema validator can walk nested types.
 */
import type { SqlType } from '../../compiler/api/columns.js';

const SCALARS: Record<string, SqlType['kind']> = {
  string: 'string',
  varchar: 'string',
  char: 'string',
  int: 'int',
  integer: 'int',
  bigint: 'bigint',
  long: 'bigint',
  double: 'double',
  float: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamp_ltz: 'timestamp',
};

export function parseSparkType(text: string): SqlType {
  const parser = new TypeParser(text);
  const type = parser.type();
  parser.end();
  return type;
}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  type(): SqlType {
    const word = this.word().toLowerCase();
    if (word === 'decimal' || word === 'numeric') {
      if (!this.peek('(')) return { kind: 'decimal', precision: 10, scale: 0 };
      this.expect('(');
      const precision = Number(this.word());
      this.expect(',');
      const scale = Number(this.word());
      this.expect(')');
      if (!Number.isInteger(precision) || !Number.isInteger(scale) || precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        this.fail(`decimal(${precision},${scale}) is not a valid Spark decimal (precision 1..38, 0 <= scale <= precision)`);
      }
      return { kind: 'decimal', precision, scale };
    }
    if (word === 'array') {
      this.expect('<');
      const element = this.type();
      this.expect('>');
      return { kind: 'array', element };
    }
    if (word === 'map') {
      this.expect('<');
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect('>');
      return { kind: 'map', key, value };
    }
    if (word === 'struct') {
      this.expect('<');
      const fields: Array<{ name: string; type: SqlType }> = [];
      while (!this.peek('>')) {
        const name = this.word();
        this.expect(':');
        fields.push({ name, type: this.type() });
        if (!this.peek('>')) this.expect(',');
      }
      this.expect('>');
      return { kind: 'struct', fields };
    }
    if ((word === 'varchar' || word === 'char') && this.peek('(')) {
      this.expect('(');
      this.word();
      this.expect(')');
    }
    const kind = SCALARS[word];
    if (!kind) this.fail(`unknown Spark type "${word}"`);
    return { kind } as SqlType;
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text.slice(this.pos)}"`);
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z0-9_`]+/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0].replace(/`/g, '');
  }

  private peek(ch: string): boolean {
    this.skipSpace();
    return this.text[this.pos] === ch;
  }

  private expect(ch: string): void {
    if (!this.peek(ch)) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(message: string): never {
    throw new Error(`cannot parse Spark type "${this.text}" at offset ${this.pos}: ${message}`);
  }
}
