import { Flags } from '@oclif/core';
import { ExitCodeCommand } from '../../base.js';
import path from 'node:path';
import { sparkPaths } from '../../../runtime/engines/spark/paths.js';
import { liveServer } from '../../../runtime/engines/spark/state.js';

export default class SparkStatus extends ExitCodeCommand {
  static override summary = 'Show whether a warm Spark is running for this project.';
  static override enableJsonFlag = true;
  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SparkStatus);
    const server = await liveServer(sparkPaths(path.resolve(flags.project)).stateFile);
    if (!server) {
      this.log('Spark: not running (etl build starts one per run; `etl spark start` keeps one warm).');
      return { running: false };
    }
    const upMin = ((Date.now() - Date.parse(server.startedAt)) / 60_000).toFixed(1);
    this.log(`Spark: running at ${server.host}:${server.port}, pid ${server.pid}, up ${upMin} min, warehouse ${server.warehouseDir}, log ${server.logFile}`);
    return { running: true, ...server };
  }
}
