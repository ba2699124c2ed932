"""Runs one model of a lakehouse-etl build on Spark (an EMR step): waits for the models it
requires, materializes the model, counts its records, runs its tests, and writes a result
JSON that the `etl build --target emr` process reads back.

Uploaded with every build next to the step specs it runs; needs only PySpark (and Delta on the
cluster). Paths may be s3:// (EMRFS) or anything else Hadoop reads, which is how it is tested
locally.
"""
import argparse
import json
import re
import sys
import time
import traceback
from datetime import datetime, timezone

from pyspark.sql import SparkSession

THRESHOLD = re.compile(r"^\s*(>=|<=|==|!=|>|<|=)\s*(\d+)\s*$")


def now_iso():
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def hadoop_fs(spark, uri):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def read_text(spark, uri):
    fs, path = hadoop_fs(spark, uri)
    if not fs.exists(path):
        return None
    stream = fs.open(path)
    try:
        reader = spark.sparkContext._jvm.java.io.BufferedReader(
            spark.sparkContext._jvm.java.io.InputStreamReader(stream, "UTF-8"))
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


def matches(count, threshold):
    m = THRESHOLD.match(threshold or ">0")
    if not m:
        raise ValueError("bad test threshold %r (expected e.g. >0 or >=10)" % threshold)
    op, n = m.group(1), int(m.group(2))
    return {
        ">": count > n, ">=": count >= n, "<": count < n, "<=": count <= n,
        "=": count == n, "==": count == n, "!=": count != n,
    }[op]


def test_status(failures, test):
    """dbt's rule: an error-severity test errors past error_if, else warns past warn_if."""
    if test.get("severity", "error") == "error" and matches(failures, test.get("errorIf", ">0")):
        return "fail"
    if matches(failures, test.get("warnIf", ">0")):
        return "warn"
    return "pass"


def wait_for_parents(spark, uris, timeout_s):
    """Returns None when every required model succeeded, else the reason to skip."""
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
                return "upstream %s %s" % (parent.get("model"), parent.get("status"))
        pending = still
        if pending:
            if time.time() > deadline:
                return "upstream result never arrived: %s" % ", ".join(pending)
            time.sleep(10)
    return None


def table_exists(spark, spec):
    # The build registers Delta tables in Glue before they have data, so existence means a
    # Delta log at the location, not a catalog entry.
    # (A look for _delta_log rather than DeltaTable.isDeltaTable: py4j cannot always see classes
    # that came in through --jars.)
    if spec.get("location"):
        fs, path = hadoop_fs(spark, spec["location"].rstrip("/") + "/_delta_log")
        return bool(fs.exists(path)) and len(fs.listStatus(path)) > 0
    return bool(spec.get("relation")) and spark.catalog.tableExists(spec["relation"])


RTAS = re.compile(
    r"^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+([\w.`]+)([\s\S]*?)\bAS\s+"
    r"(?=(?:--[^\n]*\n\s*)*\(?\s*(?:SELECT|WITH|FROM|VALUES)\b)([\s\S]*)$",
    re.IGNORECASE,
)


def run_statement(spark, sql):
    try:
        spark.sql(sql)
    except Exception as err:
        # Spark 3.5.6 with Delta 3.3.2 (delta-io/delta#4671) rejects CREATE OR REPLACE TABLE ... AS
        # with this error. Only then, and only for that statement, replace the table's data the
        # way Delta's own writer does it: one atomic overwrite commit at the table's location.
        match = RTAS.match(sql)
        if not match or "does not support truncate in batch mode" not in str(err):
            raise
        replace_table_as_select(spark, match.group(1), match.group(2), match.group(3))


def replace_table_as_select(spark, table, header, query):
    location = re.search(r"LOCATION\s+'([^']+)'", header, re.IGNORECASE)
    if not location:
        raise RuntimeError("cannot replace %s without a LOCATION in its definition" % table)
    partitioned = re.search(r"PARTITIONED\s+BY\s*\(([^)]*)\)", header, re.IGNORECASE)
    columns = [c.strip().strip("`") for c in partitioned.group(1).split(",")] if partitioned else []
    writer = spark.sql(query.strip().rstrip(";")).write.format("delta").mode("overwrite").option("overwriteSchema", "true")
    if columns:
        writer = writer.partitionBy(*columns)
    writer.save(location.group(1))
    spark.sql("CREATE TABLE IF NOT EXISTS %s USING DELTA LOCATION '%s'" % (table, location.group(1)))
    props = re.search(r"TBLPROPERTIES\s*(\([\s\S]*\))", header, re.IGNORECASE)
    if props:
        spark.sql("ALTER TABLE %s SET TBLPROPERTIES %s" % (table, props.group(1)))


def run_model(spark, spec, full_refresh, result):
    statements = spec["statements"]
    exists = table_exists(spark, spec)
    mode = "incremental" if exists and statements.get("incremental") and not full_refresh else "full"
    result["mode"] = mode
    for sql in list(statements.get(mode) or []) + list(statements.get("post") or []):
        run_statement(spark, sql)
    if spec.get("relation") and spec.get("materialized") in ("table", "incremental"):
        result["records"] = int(spark.sql("SELECT count(*) AS n FROM %s" % spec["relation"]).collect()[0][0])
    ok = True
    for test in spec.get("tests", []):
        started = time.time()
        entry = {"id": test["id"], "name": test["name"], "severity": test.get("severity", "error")}
        try:
            failures = int(spark.sql("SELECT count(*) AS n FROM (%s) AS failing" % test["sql"].strip().rstrip(";")).collect()[0][0])
            entry["failures"] = failures
            entry["status"] = test_status(failures, test)
        except Exception as err:  # a test that cannot run is an error, not a pass
            entry["status"] = "error"
            entry["message"] = first_line(err)
        entry["durationMs"] = int((time.time() - started) * 1000)
        # Freshness says how late a load is, not whether the data is right: it fails the run's
        # report but does not block the downstream models (as in the local build).
        if entry["status"] in ("fail", "error") and test.get("test") != "freshness":
            ok = False
        result["tests"].append(entry)
    return ok


def first_line(err):
    # A raw Py4JJavaError's own text is only "An error occurred while calling o32.sql."
    java = getattr(err, "java_exception", None)
    text = (str(java.toString()) if java is not None else str(err)).strip()
    return text.splitlines()[0][:2000] if text else type(err).__name__


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", required=True, help="URI of the model's step spec JSON")
    parser.add_argument("--result", required=True, help="URI to write the result JSON to")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--requires", action="append", default=[], help="result URI of a model this one needs")
    parser.add_argument("--wait-timeout", type=int, default=7200)
    parser.add_argument("--full-refresh", action="store_true")
    args = parser.parse_args(argv)

    spark = SparkSession.builder.getOrCreate()
    spec = json.loads(read_text(spark, args.step) or "null")
    if spec is None:
        print("step spec %s not found" % args.step, file=sys.stderr)
        return 2
    result = {
        "model": spec["model"], "buildId": spec["buildId"], "runId": args.run_id,
        "status": "error", "startedAt": now_iso(), "records": None, "tests": [],
    }
    started = time.time()
    try:
        skip_reason = wait_for_parents(spark, args.requires, args.wait_timeout)
        if skip_reason:
            result["status"], result["message"] = "skipped", skip_reason
        else:
            ok = run_model(spark, spec, args.full_refresh, result)
            result["status"] = "success" if ok else "error"
            if not ok:
                result["message"] = "tests failed: " + ", ".join(
                    t["name"] for t in result["tests"] if t["status"] in ("fail", "error"))
    except Exception as err:
        result["status"] = "error"
        result["message"] = first_line(err)
        traceback.print_exc()
    result["endedAt"] = now_iso()
    result["durationMs"] = int((time.time() - started) * 1000)
    write_text(spark, args.result, json.dumps(result, indent=2))
    print(json.dumps({"model": result["model"], "status": result["status"], "records": result["records"]}))
    # A skipped model is not a failure of its step: its cause is reported upstream.
    return 0 if result["status"] in ("success", "skipped") else 1


if __name__ == "__main__":
    sys.exit(main())
