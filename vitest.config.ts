import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run covers every part. Spec files run one at a time: the Spark, Kafka, moto and Chromium
// specs each start a real service, and this is a 2-core machine.
export default defineConfig({
  // Projects under test import the authoring API by package name, as users' projects do.
  resolve: { alias: { 'lakehouse-etl': fileURLToPath(new URL('./compiler/api/index.ts', import.meta.url)) } },
  test: {
    include: ['spec/**/*.spec.ts'],
    // Gives the Spark spec files one shared Spark server (spec/spark/shared-spark.ts).
    globalSetup: ['spec/global-spark.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 600_000,
    reporters: ['default'],
  },
});
