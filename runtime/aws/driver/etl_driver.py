"""Runs one step of a lakehouse-etl build on Spark (an EMR step): waits for the steps it requires,
executes its plan node's operations through the engine (etl_engine.py), counts the rows they
wrote, runs its tests, and writes a result JSON that the `etl build --target emr` process reads.

The step spec is cut from plan.json (runtime/aws/step-spec.ts): operations as data, never SQL
text; it is validated here before anything runs. Uploaded with every build next to the step
specs; needs only PySpark (and Delta on the cluster). Paths may be s3:// (EMRFS) or anything else
Hadoop reads, which is how it is tested locally.
"""
import argparse
import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone

from pyspark.sql import SparkSession

# Shipped with --py-files on EMR; next to this file when run from a checkout.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from etl_engine import LAYERS, THRESHOLD_OPS, EmrEngine, first_line, hadoop_fs, test_outcome  # noqa: E402

SPEC_VERSION = 2


# --- Step spec validation (the shape of runtime/aws/step-spec.ts) ----------------------------

class SpecError(ValueError):
    pass


def _is_relation(v):
    return isinstance(v, dict) and set(v) == {"database", "table"} and all(isinstance(v[k], str) and v[k] for k in v)


def _is_location(v):
    return isinstance(v, dict) and set(v) == {"layer", "path"} and v["layer"] in LAYERS and isinstance(v["path"], str) and v["path"]


def _is_query(v):
    return isinstance(v, dict) and isinstance(v.get("sql"), str) and v["sql"] and isinstance(v.get("segments"), list)


def _is_names(v):
    return isinstance(v, list) and all(isinstance(n, str) and n for n in v)


def _is_columns(v):
    return isinstance(v, list) and all(isinstance(c, dict) and isinstance(c.get("name"), str) and isinstance(c.get("type"), str) for c in v)


def _is_threshold(v):
    return isinstance(v, dict) and v.get("op") in THRESHOLD_OPS and isinstance(v.get("value"), int)


OPERATION_FIELDS = {
    "CreateDatabase": {"database": lambda v: isinstance(v, str) and v},
    "CreateOrReplaceTableAs": {"relation": _is_relation, "location": _is_location, "partitionBy": _is_names,
                               "properties": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
                               "query": _is_query},
    "CreateOrReplaceView": {"relation": _is_relation, "query": _is_query},
    "InsertOverwrite": {"relation": _is_relation, "query": _is_query},
    "Append": {"relation": _is_relation, "query": _is_query},
    "Merge": {"relation": _is_relation, "query": _is_query, "uniqueKey": lambda v: _is_names(v) and len(v) > 0,
              "updateColumns": lambda v: v is None or _is_names(v)},
    "Optimize": {"relation": _is_relation, "zorderBy": lambda v: _is_names(v) and len(v) > 0},
    "RegisterBronze": {"relation": _is_relation, "location": _is_location, "format": lambda v: v == "parquet",
                       "columns": _is_columns, "partitionBy": _is_columns},
    "SchemaChange": {"relation": _is_relation, "columns": _is_columns,
                     "onSchemaChange": lambda v: v in ("fail", "ignore", "append_new_columns", "sync_all_columns")},
    "DataTest": {"query": _is_query, "severity": lambda v: v in ("error", "warn"),
                 "warnIf": _is_threshold, "errorIf": _is_threshold, "maskColumns": _is_names},
}


def check_operation(op, where, kinds):
    if not isinstance(op, dict) or op.get("kind") not in kinds:
        raise SpecError("%s: expected an operation of kind %s, got %r" % (where, " or ".join(kinds), op if not isinstance(op, dict) else op.get("kind")))
    fields = OPERATION_FIELDS[op["kind"]]
    unknown = set(op) - set(fields) - {"kind"}
    if unknown:
        raise SpecError("%s: %s has unknown fields %s" % (where, op["kind"], ", ".join(sorted(unknown))))
    for name, valid in fields.items():
        if name not in op or not valid(op[name]):
            raise SpecError("%s: %s.%s is missing or malformed" % (where, op["kind"], name))


def validate_spec(spec):
    """Raises SpecError naming the first thing wrong; a step never runs half-understood operations."""
    if not isinstance(spec, dict) or spec.get("specVersion") != SPEC_VERSION:
        raise SpecError("step spec version %r, this driver reads version %d" % (spec.get("specVersion") if isinstance(spec, dict) else spec, SPEC_VERSION))
    for key, valid in (("buildId", lambda v: isinstance(v, str) and v), ("id", lambda v: isinstance(v, str) and v),
                       ("name", lambda v: isinstance(v, str)), ("kind", lambda v: v in ("model", "source")),
                       ("materialized", lambda v: v in (None, "view", "table", "incremental")),
                       ("relation", _is_relation), ("location", lambda v: v is None or _is_location(v)),
                       ("layerRoots", lambda v: isinstance(v, dict) and all(isinstance(v.get(l), str) and v[l] for l in LAYERS)),
                       ("full", lambda v: isinstance(v, list)), ("incremental", lambda v: v is None or isinstance(v, list)),
                       ("post", lambda v: isinstance(v, list)), ("tests", lambda v: isinstance(v, list))):
        if key not in spec or not valid(spec[key]):
            raise SpecError("step spec: %s is missing or malformed" % key)
    operations = [k for k in OPERATION_FIELDS if k != "DataTest"]
    for phase in ("full", "incremental", "post"):
        for i, op in enumerate(spec[phase] or []):
            check_operation(op, "%s[%d]" % (phase, i), operations)
    for i, test in enumerate(spec["tests"]):
        if not isinstance(test, dict) or not isinstance(test.get("id"), str) or not isinstance(test.get("name"), str) or not isinstance(test.get("blocksDownstream"), bool):
            raise SpecError("tests[%d]: id, name or blocksDownstream is missing or malformed" % i)
        check_operation(test.get("test"), "tests[%d].test" % i, ["DataTest"])
    return spec


# --- Files on S3 (or any Hadoop file system) ------------------------------------------------

def now_iso():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def read_text(spark, uri):
    fs, path = hadoop_fs(spark, uri)
    if not fs.exists(path):
        return None
    stream = fs.open(path)
    try:
        jvm = spark.sparkContext._jvm
        reader = jvm.java.io.BufferedReader(jvm.java.io.InputStreamReader(stream, "UTF-8"))
        lines = []
        line = reader.readLine()
        while line is not None:
            lines.append(line)
            line = reader.readLine()
        return "\n".join(lines)
    finally:
        stream.close()


def write_text(spark, uri, text):
    # On S3 the object appears only when the stream closes: readers never see half a result.
    fs, path = hadoop_fs(spark, uri)
    out = fs.create(path, True)
    try:
        out.write(bytearray(text.encode("utf-8")))
    finally:
        out.close()


def wait_for_parents(spark, uris, timeout_s):
    """Returns None when every required step succeeded, else the reason to skip."""
    deadline = time.time() + timeout_s
    pending = list(uris)
    while pending:
        still = []
        for uri in pending:
            text = read_text(spark, uri)
            if text is None:
                still.append(uri)
                continue
            parent = json.loads(text)
            if parent.get("status") != "success":
                return "upstream %s %s" % (parent.get("id"), parent.get("status"))
        pending = still
        if pending:
            if time.time() > deadline:
                return "upstream result never arrived: %s" % ", ".join(pending)
            time.sleep(10)
    return None


# --- One step --------------------------------------------------------------------------------

def run_step(spark, spec, full_refresh, result):
    """Executes the node's operations and its tests; returns False when a blocking test failed."""
    engine = EmrEngine.open(spark, spec["layerRoots"])
    try:
        state = engine.table_state(spec["relation"], spec["location"])
        incremental = spec["incremental"] is not None and state["exists"] and not full_refresh
        result["mode"] = "incremental" if incremental else "full"
        for op in (spec["incremental"] if incremental else spec["full"]) + spec["post"]:
            engine.execute(op)
        result["rowsWritten"] = engine.rows_written(spec["relation"], spec["location"], state)
        if engine.workarounds:
            result["workarounds"] = engine.workarounds
        return run_tests(engine, spec["tests"], result)
    finally:
        engine.close()


def run_tests(engine, tests, result):
    ok = True
    for test in tests:
        started = time.time()
        entry = {"id": test["id"], "name": test["name"], "severity": test["test"]["severity"]}
        try:
            failures = engine.run_data_test(test["test"], 0)["failures"]
            entry["failures"] = failures
            entry["status"] = test_outcome(failures, test["test"])
        except Exception as err:  # a test that cannot run is an error, not a pass
            entry["status"] = "error"
            entry["message"] = first_line(err)
        entry["durationMs"] = int((time.time() - started) * 1000)
        # Freshness says how late a load is, not whether the data is right (blocksDownstream is
        # false in the plan): it fails the run's report but not the step, as in the local build.
        if entry["status"] in ("fail", "error") and test["blocksDownstream"]:
            ok = False
        result["tests"].append(entry)
    return ok


def run_invocation(spark, args):
    """One step as its command line says; writes its result and returns the process exit code."""
    result = {"id": None, "buildId": None, "runId": args.run_id, "status": "error", "startedAt": now_iso(), "rowsWritten": None, "tests": []}
    started = time.time()
    try:
        text = read_text(spark, args.step)
        if text is None:
            raise SpecError("step spec %s not found" % args.step)
        spec = validate_spec(json.loads(text))
        result["id"], result["buildId"] = spec["id"], spec["buildId"]
        skip_reason = wait_for_parents(spark, args.requires, args.wait_timeout)
        if skip_reason:
            result["status"], result["message"] = "skipped", skip_reason
        elif run_step(spark, spec, args.full_refresh, result):
            result["status"] = "success"
        else:
            result["message"] = "tests failed: " + ", ".join(t["name"] for t in result["tests"] if t["status"] in ("fail", "error"))
    except Exception as err:
        result["status"], result["message"] = "error", first_line(err)
        traceback.print_exc()
    result["endedAt"] = now_iso()
    result["durationMs"] = int((time.time() - started) * 1000)
    write_text(spark, args.result, json.dumps(result, indent=2))
    print(json.dumps({"id": result["id"], "status": result["status"], "rowsWritten": result["rowsWritten"]}))
    # A skipped step is not a failure of its own: its cause is reported upstream.
    return 0 if result["status"] in ("success", "skipped") else 1


def parser():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--step", help="URI of the step spec JSON")
    p.add_argument("--result", help="URI to write the result JSON to")
    p.add_argument("--run-id")
    p.add_argument("--requires", action="append", default=[], help="result URI of a step this one needs")
    p.add_argument("--wait-timeout", type=int, default=7200)
    p.add_argument("--full-refresh", action="store_true")
    # Several steps in one Spark application, in order (each ~20 s of start-up saved): a JSON
    # list of argument lists, each run exactly as a step's own command line.
    p.add_argument("--batch", help="URI of a JSON list of step argument lists")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    if not args.batch and not (args.step and args.result and args.run_id):
        parser().error("--step, --result and --run-id are required (or --batch)")
    spark = SparkSession.builder.getOrCreate()
    if not args.batch:
        return run_invocation(spark, args)
    codes = [run_invocation(spark, parser().parse_args(step_argv)) for step_argv in json.loads(read_text(spark, args.batch))]
    return max(codes, default=0)


if __name__ == "__main__":
    sys.exit(main())
