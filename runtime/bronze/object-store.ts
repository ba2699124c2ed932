/**
 * Where bronze files land: a table root on the local file system or under an S3 prefix. Keys are
 * relative to the table root (`ingest_date=2024-01-01/x.parquet`, `_etl/state.json`). Every put is
 * atomic: readers see the old object or the whole new one.
 */
import { link, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from './parquet-writer.js';

export interface ObjectStore {
  /** Human-readable root, for messages and run records. */
  readonly url: string;
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** Creates the object only if no object has the key; false when one does (for locks). */
  putIfAbsent(key: string, body: string): Promise<boolean>;
  get(key: string): Promise<Buffer | undefined>;
  /** The object with its version (an ETag on S3, a content hash locally), for conditional rewrites. */
  getVersioned(key: string): Promise<{ body: Buffer; version: string } | undefined>;
  /**
   * Replaces the object only while it still is `version`; false when another writer changed or
   * removed it (the run lock's heartbeat: a holder that lost its lock must not write it back).
   */
  putIfVersion(key: string, body: string, version: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys under `prefix`, recursively. */
  list(prefix?: string): Promise<string[]>;
}

export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }
  get url(): string {
    return this.root;
  }
  async put(key: string, body: Uint8Array | string): Promise<void> {
    await writeFileAtomic(join(this.root, key), body);
  }
  async putIfAbsent(key: string, body: string): Promise<boolean> {
    // Written whole under a temporary name, then hard-linked: link() fails if the name exists, so
    // exactly one of two racing writers wins, and readers never see a half-written object.
    const target = join(this.root, key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, body);
    try {
      await link(tmp, target);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }
  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  async getVersioned(key: string): Promise<{ body: Buffer; version: string } | undefined> {
    const body = await this.get(key);
    return body && { body, version: contentVersion(body) };
  }
  async putIfVersion(key: string, body: string, version: string): Promise<boolean> {
    // Checked, then swapped in by rename (atomic: readers see the old or the new record). A file
    // system has no compare-and-swap; the window between the check and the rename is a few
    // microseconds on one host, against a lock TTL of minutes.
    const target = join(this.root, key);
    const current = await this.get(key);
    if (!current || contentVersion(current) !== version) return false;
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, body);
    try {
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return true;
  }
  async delete(key: string): Promise<void> {
    await rm(join(this.root, key), { force: true });
  }
  async list(prefix = ''): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(this.root, rel), { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const e of entries) {
        const key = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(key);
        else out.push(key);
      }
    };
    // Start from the deepest directory the prefix names, then filter by the rest.
    const dir = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    await walk(dir);
    return out.filter((k) => k.startsWith(prefix)).sort();
  }
}

/** A local object's version: the hash of its content. */
function contentVersion(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
