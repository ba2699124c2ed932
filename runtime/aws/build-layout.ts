/**
 * Where a build's files live on S3. Keys depend only on the build id (a content hash of the
 * compiled manifest, plan and driver), so uploading the same compile twice writes the same
 * keys, and a step's arguments name exactly the objects uploaded for it.
 */
export interface BuildLayout {
  bucket: string;
  /** `<artifacts_prefix>/<buildId>` */
  root: string;
  buildId: string;
}

export function buildLayout(bucket: string, artifactsPrefix: string, buildId: string): BuildLayout {
  const prefix = artifactsPrefix.replace(/^\/+|\/+$/g, '');
  return { bucket, buildId, root: prefix ? `${prefix}/${buildId}` : buildId };
}

export const keys = {
  manifest: (l: BuildLayout) => `${l.root}/manifest.json`,
  plan: (l: BuildLayout) => `${l.root}/plan.json`,
  driver: (l: BuildLayout) => `${l.root}/driver/etl_driver.py`,
  /** The driver's engine module, shipped to the step with --py-files. */
  driverEngine: (l: BuildLayout) => `${l.root}/driver/etl_engine.py`,
  stepSpec: (l: BuildLayout, modelId: string) => `${l.root}/steps/${safe(modelId)}.json`,
  /** Human-readable SQL, mirrored from target/compiled and target/run. */
  targetFile: (l: BuildLayout, relative: string) => `${l.root}/${relative.replace(/^\/+/, '')}`,
  result: (l: BuildLayout, runId: string, modelId: string) => `${l.root}/results/${runId}/${safe(modelId)}.json`,
};

export const s3Uri = (l: BuildLayout, key: string) => `s3://${l.bucket}/${key}`;

/** Model ids are `model.<name>`: keep them readable, but never let one escape its folder. */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
