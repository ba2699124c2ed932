"""Registers bronze tables with the manifest's own statements and reads them back with Spark 3.5.

argv[1]: JSON file {"statements": [...], "tables": [{"relation": ..., "key": ..., "columns": [...]}]}
Prints one JSON document: per table, the Spark schema (simpleString per column), the row count and
the selected columns of every row rendered as strings (decimals and timestamps exactly as Spark sees them).
"""
import json
import sys
import tempfile

from pyspark.sql import SparkSession

spec = json.load(open(sys.argv[1]))
warehouse = tempfile.mkdtemp(prefix="spark-wh-")
spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "1")
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.sql.warehouse.dir", warehouse)
    .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")
for statement in spec["statements"]:
    spark.sql(statement)
out = {}
for table in spec["tables"]:
    df = spark.table(table["relation"])
    cast = ", ".join(f"CAST(`{c}` AS STRING) AS `{c}`" for c in table["columns"])
    rows = spark.sql(f"SELECT {cast} FROM {table['relation']}").collect()
    out[table["relation"]] = {
        "schema": {f.name: f.dataType.simpleString() for f in df.schema.fields},
        "count": df.count(),
        "rows": {r[table["key"]]: r.asDict() for r in rows},
    }
print("RESULT " + json.dumps(out))
spark.stop()
