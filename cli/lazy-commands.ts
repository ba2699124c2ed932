/**
 * Commands whose modules load when they run. oclif's explicit strategy reads a map of command
 * classes; a lazy class stands in for a command until oclif runs it, then imports the real one and
 * hands over. oclif only reads static metadata (flags, help) from the manifest when one exists (the
 * compiled build writes dist/oclif.manifest.json), so the stand-ins need none.
 */
import type { Command, Config } from '@oclif/core';

/** Imports one command's module. */
export type CommandModule = () => Promise<{ default: Command.Class }>;

interface Runnable {
  id?: string;
  plugin?: Command.Class['plugin'];
  run(argv?: string[], config?: Config): Promise<unknown>;
}

function lazyCommand(id: string, load: CommandModule): Runnable {
  return {
    id,
    async run(argv?: string[], config?: Config) {
      const real = (await load()).default;
      real.id = id;
      real.plugin = this.plugin;
      return real.run(argv, config);
    },
  } as Runnable;
}

/** A stand-in per command id, loading its module on first run. */
export function lazyCommands(modules: Record<string, CommandModule>): Record<string, Runnable> {
  return Object.fromEntries(Object.entries(modules).map(([id, load]) => [id, lazyCommand(id, load)]));
}

/** Every command class, imported now (for oclif without a manifest, and to write the manifest). */
export async function loadAllCommands(modules: Record<string, CommandModule>): Promise<Record<string, Command.Class>> {
  const entries = await Promise.all(Object.entries(modules).map(async ([id, load]) => [id, (await load()).default] as const));
  return Object.fromEntries(entries);
}
