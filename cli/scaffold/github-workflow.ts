/**
 * The GitHub Actions workflow of a project (`.github/workflows/etl.yml`), written by `etl init` and
 * kept in the reference project: one text for both, so the spec that runs its steps checks what
 * users get. Steps that the spec runs carry an `id`; their `run:` lines call `$ETL` so the same steps
 * run on a runner (`npx etl`), in this repository (`node bin/etl.js`) and in the spec.
 */
export interface WorkflowOptions {
  /** How the workflow calls the tool. */
  etl: string;
  /** The install step's command. */
  install: string;
}

export function githubWorkflow(o: WorkflowOptions): string {
  const setup = `      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - uses: actions/setup-java@v4
        with:
          distribution: temurin
          java-version: 17
      - name: Install
        run: ${o.install}`;
  return `# Pull requests build what they change into their own environment (pr_<number>), reading every
# other model from production (--defer), and show the column-level impact of the change; merges to
# main build production from the plan compiled for the merge; closing a pull request drops its
# environment. Set ETL_TARGET to the target production runs on (e.g. an EMR target).
name: etl

on:
  pull_request:
    types: [opened, synchronize, reopened, closed]
  push:
    branches: [main]

permissions:
  contents: read
  actions: read
  security-events: write

concurrency:
  group: etl-\${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: false

env:
  ETL: ${o.etl}
  ETL_TARGET: local
  ETL_ENV: pr_\${{ github.event.pull_request.number }}
  PROD_STATE: production-target

jobs:
  pull-request:
    if: github.event_name == 'pull_request' && github.event.action != 'closed'
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
${setup}
      - name: Production manifest (the last successful main build's compiled target/)
        id: production
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          run_id=$(gh run list --workflow etl.yml --branch main --status success --limit 1 --json databaseId --jq '.[0].databaseId')
          gh run download "$run_id" --name etl-target-main --dir "$PROD_STATE"
      - name: Compile (annotations on the changed files)
        id: compile
        run: $ETL compile --target "$ETL_TARGET" --format github --sarif etl.sarif
      - name: Code scanning
        if: always() && hashFiles('etl.sarif') != ''
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: etl.sarif
          category: etl
      - name: Impact against production
        id: diff
        run: $ETL diff --target "$ETL_TARGET" --state "$PROD_STATE" --format markdown >> "$GITHUB_STEP_SUMMARY"
      - name: Build what changed into the pull request's environment
        id: build
        run: $ETL build --target "$ETL_TARGET" --env "$ETL_ENV" --defer --state "$PROD_STATE" --select state:modified+ --format github --junit etl-build.xml
      - name: Test what changed
        id: test
        run: $ETL test --target "$ETL_TARGET" --env "$ETL_ENV" --defer --state "$PROD_STATE" --select state:modified+ --format github --junit etl-test.xml
      - name: Keep the compiled plan and results
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: etl-target-pr-\${{ github.event.pull_request.number }}
          path: |
            target/
            etl-*.xml
            etl.sarif

  production-compile:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
${setup}
      - name: Compile production
        id: compile-main
        run: $ETL compile --target "$ETL_TARGET" --format github
      - uses: actions/upload-artifact@v4
        with:
          name: etl-target-main
          path: target/

  production-build:
    needs: production-compile
    runs-on: ubuntu-latest
    timeout-minutes: 120
    steps:
${setup}
      - uses: actions/download-artifact@v4
        with:
          name: etl-target-main
          path: compiled-target
      - name: Build production from the compiled plan, as it is
        id: build-main
        run: $ETL build --plan compiled-target --junit etl-build.xml

  pull-request-closed:
    if: github.event_name == 'pull_request' && github.event.action == 'closed'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
${setup}
      - name: Drop the pull request's environment
        id: drop
        run: $ETL env drop "$ETL_ENV" --target "$ETL_TARGET"
`;
}

/** The reference project's own workflow: the tool is this repository. */
export const REPOSITORY_WORKFLOW: WorkflowOptions = { etl: 'node bin/etl.js', install: 'npm run setup' };
/** A project made by `etl init`: the tool is a dev dependency. */
export const PROJECT_WORKFLOW: WorkflowOptions = { etl: 'npx etl', install: 'npm ci' };
