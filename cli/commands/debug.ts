import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { EtlCommand, projectFlags } from '../base.js';
import { TOOL_ROOT } from '../../compiler/own-files.js';

const run = promisify(execFile);

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

async function version(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout, stderr } = await run(cmd, args, { timeout: 15_000 });
    return `${stdout}${stderr}`.split('\n').find((l) => l.trim())?.trim();
  } catch {
    return undefined;
  }
}

export default class Debug extends EtlCommand {
  static override summary = 'Check the environment and the project: runtimes, installed engines, and a compile.';
  static override examples = ['<%= config.bin %> debug', '<%= config.bin %> debug --json'];
  static override flags = { ...projectFlags };

  async run(): Promise<{ ok: boolean; checks: Check[] }> {
    const { flags } = await this.parse(Debug);
    const root = path.resolve(flags.project);
    const tool = TOOL_ROOT;
    const checks: Check[] = [];
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    checks.push({ name: 'node', ok: nodeMajor >= 20, detail: process.version, fix: 'Install Node.js 20 or later.' });
    const java = await version('java', ['-version']);
    checks.push({ name: 'java', ok: java !== undefined && /version "(1[7-9]|2\d)/.test(java), detail: java ?? 'not found', fix: 'Install Java 17 (Spark 3.5 and Kafka 4 run on it).' });
    const python = await version('python3', ['--version']);
    checks.push({ name: 'python3', ok: python !== undefined, detail: python ?? 'not found', fix: 'Install Python 3.9 or later.' });
    const installs: Array<[string, string, string]> = [
      ['local Spark (pyspark + Delta)', '.etl/venv-spark', 'bash scripts/setup-spark.sh'],
      ['Delta jars', '.etl/jars', 'bash scripts/setup-spark.sh'],
      ['Kafka broker (tests, --dev-sources)', '.etl/kafka', 'bash scripts/setup-kafka.sh'],
      ['moto (AWS tests)', '.etl/venv-moto', 'bash scripts/setup-moto.sh'],
    ];
    for (const [name, dir, fix] of installs) {
      const present = existsSync(path.join(tool, dir));
      checks.push({ name, ok: present, detail: present ? path.join(tool, dir) : 'not installed', fix });
    }
    const chromium = existsSync('/usr/bin/chromium');
    checks.push({ name: 'chromium (docs tests)', ok: chromium, detail: chromium ? '/usr/bin/chromium' : 'not installed', fix: 'bash scripts/setup-browser.sh' });
    const compiled = await this.compileAndReport(flags, true);
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
    checks.push({
      name: 'project',
      ok: compiled.ok,
      detail: compiled.ok ? `${root}: ${Object.keys(compiled.manifest.models).length} models, ${Object.keys(compiled.manifest.sources).length} source tables, target ${compiled.manifest.target.name}` : `${errors} error(s), listed above`,
      fix: 'Fix the diagnostics above.',
    });
    // Engines are optional for compile-only use; the project and Node are what `ok` means.
    const ok = checks.filter((c) => c.name === 'node' || c.name === 'project').every((c) => c.ok);
    if (!this.jsonEnabled()) {
      for (const c of checks) this.log(`${c.ok ? 'ok     ' : 'MISSING'} ${c.name.padEnd(36)} ${c.detail}${c.ok || !c.fix ? '' : `\n        fix: ${c.fix}`}`);
    }
    if (!ok) this.exitWithJson(1, { ok, checks });
    return { ok, checks };
  }
}
