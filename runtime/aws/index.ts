// The AWS target's public surface: the EMR build and bronze partition registration.
export { runEmrBuild, type EmrBuildOptions, type EmrBuildResult, type EmrBuildRequests } from './emr-build.js';
export { registerBronzePartitions, syncBronzePartitions, type RegisterPartitionsOptions } from './glue-catalog.js';
export { AwsTargetError } from './errors.js';
export { createAwsClients, ENDPOINT_ENV, type AwsClients, type SdkClient } from './clients.js';
export { parseEmrSettings, type EmrSettings } from './settings.js';
