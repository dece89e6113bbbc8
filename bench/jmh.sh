#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# JMH microbenchmarks: bench/jmh.sh [JMH options, e.g. RouteLookup]
# Builds the benchmarks module and runs JMH on the default java (JAVA_HOME to choose another JDK).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl benchmarks -am
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/jmh.classpath"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" -Dpolyglot.engine.WarnInterpreterOnly=false -cp "benchmarks/target/classes:$(cat benchmarks/target/jmh.classpath)" \
  org.openjdk.jmh.Main "$@"
