#!/usr/bin/env bash
# Installs an Apache Kafka 4 broker (KRaft mode) for the ingestion specs and the quickstart:
# the broker jar and its dependencies come from Maven Central (cached in ~/.m2) and are copied
# to .etl/kafka/libs. Idempotent: a stamp file records the installed version.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.0}"
SCALA_BINARY=2.13
SLF4J_VERSION=2.0.17

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="$root/.etl/kafka"
libs="$home/libs"
stamp="$home/setup.stamp"
want="kafka_$SCALA_BINARY=$KAFKA_VERSION slf4j-simple=$SLF4J_VERSION"

command -v java >/dev/null || { echo "setup-kafka: java not found; Kafka $KAFKA_VERSION needs Java 17 on PATH" >&2; exit 1; }
command -v mvn >/dev/null || { echo "setup-kafka: mvn not found; it fetches Kafka from Maven Central" >&2; exit 1; }

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -n "$(ls "$libs"/kafka_$SCALA_BINARY-*.jar 2>/dev/null)" ]]; then
  echo "setup-kafka: up to date ($want)"
  exit 0
fi

mkdir -p "$home"
# A throwaway pom naming the broker plus an SLF4J binding, so Maven resolves the whole runtime class path.
cat > "$home/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>lakehouse-etl</groupId>
  <artifactId>kafka-broker</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_$SCALA_BINARY</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-server</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>$SLF4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
rm -rf "$libs"
echo "setup-kafka: resolving org.apache.kafka:kafka_$SCALA_BINARY:$KAFKA_VERSION from Maven Central (cached in ~/.m2)"
mvn -q -B -Dstyle.color=never -f "$home/pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
  -DoutputDirectory="$libs" -DincludeScope=runtime
# Kafka 4 brings log4j2's SLF4J binding transitively; keep one binding so logging stays quiet and predictable.
rm -f "$libs"/log4j-slf4j*-impl-*.jar
echo "$want" > "$stamp"
echo "setup-kafka: ready ($want) in $libs"
