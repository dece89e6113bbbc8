#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# JMH microbenchmarks: bench/jmh.sh [JMH options, e.g. RouteLookup]
# Builds the benchmarks module and the distribution, then runs JMH on JAVA_HOME's java (or the PATH's). On
# JDK 25+ GraalJS runs with the Graal JIT, launched like bin/sluice does (module path + matching compiler);
# SLUICE_JIT=off keeps it interpreted.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests -pl benchmarks,distribution -am
mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$PWD/benchmarks/target/jmh.classpath"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
feature="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}')"
feature="${feature%%.*}"
CP="benchmarks/target/classes:$(cat benchmarks/target/jmh.classpath)"
FLAGS=(-Dpolyglot.engine.WarnInterpreterOnly=false)
DIST=distribution/target/sluice
if [[ "$feature" -ge 25 && "${SLUICE_JIT:-on}" != off ]]; then
  CP=$(tr ':' '\n' <<<"$CP" | grep -v '/org/graalvm/' | paste -sd:)
  FLAGS+=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --sun-misc-unsafe-memory-access=allow
    --upgrade-module-path="$(ls $DIST/lib/jit/*.jar)" --module-path="$DIST/lib/graal"
    --add-modules org.graalvm.polyglot --enable-native-access=org.graalvm.truffle,ALL-UNNAMED)
fi
exec "$JAVA" "${FLAGS[@]}" -cp "$CP" org.openjdk.jmh.Main "$@"
