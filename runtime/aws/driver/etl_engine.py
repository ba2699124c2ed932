"""The EMR implementation of the engine contract (runtime/engines/engine.ts) in Python: open,
table_state, execute, rows_written, run_data_test, close, over the plan's operation JSON.

Each operation kind is rendered to Spark SQL here, one function per kind, with identifiers and
string literals quoted; no SQL text is ever parsed. The Delta work-arounds live behind the
operation they serve (replace-table, MERGE self-read), built from the operation's fields.
Shipped next to etl_driver.py (spark-submit --py-files); needs only PySpark (Delta on the cluster).
"""
LAYERS = ("bronze", "silver", "gold")
# Delta's history is read back this far; one step makes a handful of commits.
HISTORY_LIMIT = 100


# --- Spark SQL quoting -----------------------------------------------------------------------

def quote_ident(name):
    return "`" + name.replace("`", "``") + "`"


def relation_sql(relation):
    return quote_ident(relation["database"]) + "." + quote_ident(relation["table"])


def string_literal(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def ident_list(names):
    return ", ".join(quote_ident(n) for n in names)


# --- Rendering: one function per operation kind ----------------------------------------------

def render_create_database(op):
    return "CREATE DATABASE IF NOT EXISTS " + quote_ident(op["database"])


def render_create_or_replace_table_as(op, path):
    clauses = ["USING DELTA"]
    if op["partitionBy"]:
        clauses.append("PARTITIONED BY (%s)" % ident_list(op["partitionBy"]))
    clauses.append("LOCATION " + string_literal(path))
    if op["properties"]:
        clauses.append("TBLPROPERTIES (%s)" % properties_sql(op["properties"]))
    return "CREATE OR REPLACE TABLE %s\n%s\nAS\n%s" % (relation_sql(op["relation"]), "\n".join(clauses), op["query"]["sql"])


def properties_sql(properties):
    return ", ".join("%s = %s" % (string_literal(k), string_literal(properties[k])) for k in sorted(properties))


def render_create_or_replace_view(op):
    return "CREATE OR REPLACE VIEW %s AS\n%s" % (relation_sql(op["relation"]), op["query"]["sql"])


def render_insert_overwrite(op):
    return "INSERT OVERWRITE TABLE %s\n%s" % (relation_sql(op["relation"]), op["query"]["sql"])


def render_append(op):
    return "INSERT INTO %s\n%s" % (relation_sql(op["relation"]), op["query"]["sql"])


def render_merge(op, source):
    """`source` is the parenthesised query, or a table holding its rows (the self-read work-around)."""
    on = "\n  AND ".join("target.%s = source.%s" % (quote_ident(k), quote_ident(k)) for k in op["uniqueKey"])
    columns = op["updateColumns"]
    update = "UPDATE SET " + ", ".join("target.%s = source.%s" % (quote_ident(c), quote_ident(c)) for c in columns) if columns else "UPDATE SET *"
    return "MERGE INTO %s AS target\nUSING %s AS source\nON %s\nWHEN MATCHED THEN %s\nWHEN NOT MATCHED THEN INSERT *" % (
        relation_sql(op["relation"]), source, on, update)


def render_optimize(op):
    return "OPTIMIZE %s ZORDER BY (%s)" % (relation_sql(op["relation"]), ident_list(op["zorderBy"]))


def render_register_bronze(op, path):
    columns = ",\n".join("  %s %s" % (quote_ident(c["name"]), c["type"]) for c in op["columns"] + op["partitionBy"])
    partitioned = "\nPARTITIONED BY (%s)" % ident_list([c["name"] for c in op["partitionBy"]]) if op["partitionBy"] else ""
    table = relation_sql(op["relation"])
    create = "CREATE TABLE IF NOT EXISTS %s (\n%s\n)\nUSING PARQUET%s\nLOCATION %s" % (table, columns, partitioned, string_literal(path))
    return [create] + (["ALTER TABLE %s RECOVER PARTITIONS" % table] if op["partitionBy"] else [])


# --- Thresholds (structured in the plan: nothing to parse) -----------------------------------

THRESHOLD_OPS = {
    ">": lambda n, v: n > v, ">=": lambda n, v: n >= v, "<": lambda n, v: n < v,
    "<=": lambda n, v: n <= v, "==": lambda n, v: n == v, "!=": lambda n, v: n != v,
}


def meets(count, threshold):
    return THRESHOLD_OPS[threshold["op"]](count, threshold["value"])


def test_outcome(count, test):
    """dbt's rule: an error-severity test fails when error_if holds, else warns when warn_if holds."""
    if test["severity"] == "error" and meets(count, test["errorIf"]):
        return "fail"
    return "warn" if meets(count, test["warnIf"]) else "pass"


# --- The engine ------------------------------------------------------------------------------

def hadoop_fs(spark, uri):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def error_text(err):
    # A raw Py4JJavaError's own text is only "An error occurred while calling o32.sql."
    java = getattr(err, "java_exception", None)
    return (str(java.toString()) if java is not None else str(err)).strip()


def first_line(err):
    text = error_text(err)
    return text.splitlines()[0][:2000] if text else type(err).__name__


class EmrEngine:
    """One Spark session executing plan operations; mirrors EngineSession in engine.ts."""

    def __init__(self, spark, layer_roots):
        self.spark = spark
        self.layer_roots = layer_roots
        # Set once Delta has shown the replace-table bug: the engine does not change within a process.
        self.replace_table_broken = False
        # Work-arounds taken since open, for the step's result (which path wrote the table).
        self.workarounds = []

    @classmethod
    def open(cls, spark, layer_roots):
        return cls(spark, layer_roots)

    def locate(self, location):
        path = location["path"]
        if path.startswith("/") or "://" in path:
            return path
        return self.layer_roots[location["layer"]].rstrip("/") + "/" + path

    def sql(self, text):
        return self.spark.sql(text)

    def table_state(self, relation, location):
        """A Delta table exists when a Delta log is at its location: the build registers tables in
        Glue before they have data, so a catalog entry says nothing. Views have no location."""
        if location is None:
            return {"exists": bool(self.spark.catalog.tableExists(relation["table"], relation["database"]))}
        path = self.locate(location)
        fs, log = hadoop_fs(self.spark, path.rstrip("/") + "/_delta_log")
        # A look for _delta_log rather than DeltaTable.isDeltaTable: py4j cannot always see classes
        # that came in through --jars.
        if not (fs.exists(log) and len(fs.listStatus(log)) > 0):
            return {"exists": False}
        latest = self.history(path, 1)
        return {"exists": True, "version": int(latest[0]["version"]) if latest else -1}

    def history(self, path, limit):
        # By path, not by name: the catalog entry may be Glue's, written before any Delta commit.
        return self.sql("DESCRIBE HISTORY delta.%s LIMIT %d" % (quote_ident(path), limit)).collect()

    def execute(self, op):
        executor = EXECUTORS.get(op["kind"])
        if executor is None:
            # Snapshots, seeds, hooks, backfills and the governance operations run on local Spark only so far.
            raise RuntimeError("the EMR driver cannot run %s operations yet: build this model on the local target" % op["kind"])
        executor(self, op)

    def rows_written(self, relation, location, state):
        """Sum of Delta's commit metrics over the commits newer than `state` (as the local runner):
        MERGE counts inserted + updated rows, OPTIMIZE and VACUUM nothing, others numOutputRows."""
        if location is None:
            return None
        before = state.get("version", -1) if state.get("exists") else -1
        total = 0
        for commit in self.history(self.locate(location), HISTORY_LIMIT):
            if int(commit["version"]) <= before:
                continue
            metrics = commit["operationMetrics"] or {}
            operation = commit["operation"] or ""
            if operation == "MERGE":
                total += int(metrics.get("numTargetRowsInserted", 0)) + int(metrics.get("numTargetRowsUpdated", 0))
            elif operation not in ("OPTIMIZE", "VACUUM START", "VACUUM END"):
                total += int(metrics.get("numOutputRows", 0))
        return total

    def run_data_test(self, test, sample_size):
        failing = self.sql(test["query"]["sql"])
        failures = int(failing.count())
        sample = [r.asDict(recursive=True) for r in failing.limit(sample_size).collect()] if failures and sample_size else []
        return {"failures": failures, "sample": sample}

    def close(self):
        # The session belongs to the step (or the batch); nothing of the engine's own outlives it.
        pass


def execute_create_database(engine, op):
    engine.sql(render_create_database(op))


def execute_create_or_replace_table_as(engine, op):
    path = engine.locate(op["location"])
    if not engine.replace_table_broken:
        try:
            engine.sql(render_create_or_replace_table_as(op, path))
            return
        except Exception as err:
            # pyspark 3.5.6 + Delta 3.3.2 (delta-io/delta#4671): Spark requires SupportsTruncate for
            # the replace, Delta 3.3.2 lacks it. Only that error takes the work-around.
            if "does not support truncate in batch mode" not in error_text(err):
                raise
            engine.replace_table_broken = True
    replace_table_by_writing(engine, op, path)


def replace_table_by_writing(engine, op, path):
    """The replace as Delta's own writer does it: one atomic overwrite commit at the location (the
    new schema and partitioning included), then the catalog entry and the table properties."""
    writer = engine.sql(op["query"]["sql"]).write.format("delta").mode("overwrite").option("overwriteSchema", "true")
    if op["partitionBy"]:
        writer = writer.partitionBy(*op["partitionBy"])
    writer.save(path)
    engine.workarounds.append("replace-table-by-write")
    table = relation_sql(op["relation"])
    engine.sql("CREATE TABLE IF NOT EXISTS %s USING DELTA LOCATION %s" % (table, string_literal(path)))
    if op["properties"]:
        engine.sql("ALTER TABLE %s SET TBLPROPERTIES (%s)" % (table, properties_sql(op["properties"])))


def execute_create_or_replace_view(engine, op):
    engine.sql(render_create_or_replace_view(op))


def execute_insert_overwrite(engine, op):
    # Dynamic partition overwrite replaces only the partitions the query produces.
    conf = engine.spark.conf
    previous = conf.get("spark.sql.sources.partitionOverwriteMode", "static")
    conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    try:
        engine.sql(render_insert_overwrite(op))
    finally:
        conf.set("spark.sql.sources.partitionOverwriteMode", previous)


def execute_append(engine, op):
    engine.sql(render_append(op))


def execute_merge(engine, op):
    try:
        engine.sql(render_merge(op, "(\n%s\n)" % op["query"]["sql"]))
        return
    except Exception as err:
        # pyspark 3.5.6 + Delta 3.3.2 reject a MERGE whose source joins the target with "Table does
        # not support reads". Only then: fix the source's rows in a staging table, merge from it.
        if "Table does not support reads" not in error_text(err):
            raise
    staging = {"database": op["relation"]["database"], "table": op["relation"]["table"] + "__etl_merge_source"}
    engine.sql("DROP TABLE IF EXISTS " + relation_sql(staging))
    engine.sql("CREATE TABLE %s USING DELTA AS\n%s" % (relation_sql(staging), op["query"]["sql"]))
    try:
        engine.sql(render_merge(op, relation_sql(staging)))
        engine.workarounds.append("merge-from-staging")
    finally:
        engine.sql("DROP TABLE IF EXISTS " + relation_sql(staging))


def execute_optimize(engine, op):
    engine.sql(render_optimize(op))


def execute_register_bronze(engine, op):
    for statement in render_register_bronze(op, engine.locate(op["location"])):
        engine.sql(statement)


def render_restore_table(op):
    to = op["to"]
    point = "VERSION AS OF %d" % to["version"] if to["by"] == "version" else "TIMESTAMP AS OF " + string_literal(to["timestamp"])
    return "RESTORE TABLE %s TO %s" % (relation_sql(op["relation"]), point)


def execute_restore_table(engine, op):
    engine.sql(render_restore_table(op))


def execute_schema_change(engine, op):
    """`on_schema_change` against the table as it is (the local runner's rules,
    runtime/runner/schema-change.ts): `ignore` writes as before, `fail` stops before the write,
    `append_new_columns` adds the new columns, `sync_all_columns` adds and drops (the table was
    created with column mapping by name). Type changes are left to Delta's own checks."""
    relation = op["relation"]
    if not engine.spark.catalog.tableExists(relation["table"], relation["database"]):
        return
    existing = [f.name for f in engine.spark.table(relation_sql(relation)).schema.fields]
    wanted = [c["name"] for c in op["columns"]]
    added = [c for c in op["columns"] if c["name"].lower() not in {e.lower() for e in existing}]
    removed = [e for e in existing if e.lower() not in {w.lower() for w in wanted}]
    mode = op["onSchemaChange"]
    if (not added and not removed) or mode == "ignore":
        return
    if mode == "fail":
        raise RuntimeError(
            "on_schema_change is fail and the columns of %s changed (added: %s; removed: %s): "
            "set on_schema_change, or rebuild it with --full-refresh"
            % (relation_sql(relation), ", ".join(c["name"] for c in added) or "none", ", ".join(removed) or "none")
        )
    if added:
        engine.sql("ALTER TABLE %s ADD COLUMNS (%s)" % (relation_sql(relation), ", ".join("%s %s" % (quote_ident(c["name"]), c["type"]) for c in added)))
    if mode == "sync_all_columns" and removed:
        engine.sql("ALTER TABLE %s DROP COLUMNS (%s)" % (relation_sql(relation), ident_list(removed)))


EXECUTORS = {
    "CreateDatabase": execute_create_database,
    "CreateOrReplaceTableAs": execute_create_or_replace_table_as,
    "CreateOrReplaceView": execute_create_or_replace_view,
    "InsertOverwrite": execute_insert_overwrite,
    "Append": execute_append,
    "Merge": execute_merge,
    "Optimize": execute_optimize,
    "RegisterBronze": execute_register_bronze,
    "RestoreTable": execute_restore_table,
    "SchemaChange": execute_schema_change,
}
