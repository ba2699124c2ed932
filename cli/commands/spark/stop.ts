import { Flags } from '@oclif/core';
import { ExitCodeCommand } from '../../base.js';
import path from 'node:path';
import { stopProcess } from '../../../runtime/engines/spark/launcher.js';
import { sparkPaths } from '../../../runtime/engines/spark/paths.js';
import { clearServerState, liveServer } from '../../../runtime/engines/spark/state.js';

export default class SparkStop extends ExitCodeCommand {
  static override summary = 'Stop the warm Spark started by `etl spark start`.';
  static override enableJsonFlag = true;
  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(SparkStop);
    const paths = sparkPaths(path.resolve(flags.project));
    const server = await liveServer(paths.stateFile);
    if (!server) {
      this.log('No warm Spark is running for this project.');
      return { stopped: false };
    }
    await stopProcess(server.pid);
    clearServerState(paths.stateFile);
    this.log(`Stopped Spark at ${server.host}:${server.port} (pid ${server.pid}).`);
    return { stopped: true, pid: server.pid };
  }
}
