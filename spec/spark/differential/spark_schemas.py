"""The schema Spark 3.5 gives each query of the differential type corpus.

Reads a JSON request {warehouse, jars, tables: [{relation, columns: [{name, type, nullable}]}],
queries: [{id, sql}]}, creates each table as an empty Delta table of exactly that schema (NOT NULL
kept: Delta keeps it, and a DataFrame over the table reports it), and prints one JSON line:
{id: {"fields": [{name, type, nullable}]} | {"error": message}}. The DataFrame schema is the
analysed plan's output, types and nullability both; DESCRIBE QUERY over Thrift has no nullability.
"""
import json
import sys

from pyspark.sql import SparkSession


def main() -> None:
    request = json.load(open(sys.argv[1]))
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("etl-type-corpus")
        .config("spark.driver.extraClassPath", ":".join(request["jars"]))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.sql.warehouse.dir", request["warehouse"])
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for table in request["tables"]:
        database = table["relation"].split(".")[0]
        spark.sql(f"CREATE DATABASE IF NOT EXISTS {database}")
        columns = ", ".join(
            f"`{c['name']}` {c['type']}{'' if c['nullable'] else ' NOT NULL'}" for c in table["columns"]
        )
        spark.sql(f"CREATE TABLE {table['relation']} ({columns}) USING delta")
    out = {}
    for query in request["queries"]:
        try:
            schema = spark.sql(query["sql"]).schema
            out[query["id"]] = {
                "fields": [
                    {"name": f.name, "type": f.dataType.simpleString(), "nullable": f.nullable} for f in schema.fields
                ]
            }
        except Exception as err:  # noqa: BLE001 - any analysis error is the answer for that query
            out[query["id"]] = {"error": str(err).split("\n")[0][:500]}
    print("\n" + json.dumps(out))
    spark.stop()


if __name__ == "__main__":
    main()
