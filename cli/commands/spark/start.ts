import { Flags } from '@oclif/core';
import { ExitCodeCommand } from '../../base.js';
import path from 'node:path';
import { startThriftServer } from '../../../runtime/engines/spark/launcher.js';
import { sparkPaths } from '../../../runtime/engines/spark/paths.js';
import { readTargetSparkSettings } from '../../../runtime/engines/spark/project-settings.js';
import { liveServer, writeServerState } from '../../../runtime/engines/spark/state.js';

export default class SparkStart extends ExitCodeCommand {
  static override summary = 'Start a local Spark and keep it warm for later builds and tests.';
  static override description =
    'Starts the Spark Thrift Server (Delta, Derby metastore in .etl/spark/, warehouse under the project) and records its pid and port in .etl/spark/server.json. `etl build` and `etl test` use it instead of starting their own, which saves the start-up on every run. Stop it with `etl spark stop`.';
  static override examples = ['<%= config.bin %> spark start', '<%= config.bin %> spark start --project ../analytics'];
  static override enableJsonFlag = true;
  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
    target: Flags.string({ char: 't', description: 'Target whose spark settings to use' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SparkStart);
    const projectDir = path.resolve(flags.project);
    let target: ReturnType<typeof readTargetSparkSettings>;
    try {
      target = readTargetSparkSettings(projectDir, flags.target);
    } catch (e) {
      this.error((e as Error).message, { exit: 1 });
    }
    const paths = sparkPaths(projectDir, target.warehouseDir ? { warehouseDir: target.warehouseDir } : {});
    const running = await liveServer(paths.stateFile);
    if (running) {
      this.log(`Spark already running at ${running.host}:${running.port} (pid ${running.pid})`);
      return running;
    }
    const t0 = Date.now();
    try {
      const server = await startThriftServer(paths, target.settings);
      writeServerState(paths.stateFile, server);
      this.log(`Spark ready at ${server.host}:${server.port} (pid ${server.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)}s; log: ${path.relative(process.cwd(), server.logFile)}`);
      return server;
    } catch (e) {
      this.error((e as Error).message, { exit: 1 });
    }
  }
}
