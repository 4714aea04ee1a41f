#!/usr/bin/env bash
# The benchmark of issue 7: starts the local stack on a fresh temporary data directory (from a copy of the built
# JARs, so rebuilding while it runs is harmless) or uses a running one (--attach), runs scenarios 1-6 with wrk and
# a small Python driver, prints one table and writes bench/results/<time>[-label].json. Builds nothing:
#
#   ./mvnw -B -q -DskipTests package         # once
#   bench/run.sh                              # everything, 3 runs of each wrk scenario (about 8 minutes)
#   bench/run.sh --runs 1 --scenarios 1,4     # a quick look
#   bench/run.sh --attach --data .data        # against `java -jar local-stack/target/local-stack.jar`
#                                             # (start that one with RATE_LIMIT_PER_SECOND=100000000 RATE_LIMIT_BURST=100000000)
#   SERVICE_JAVA_OPTS='-XX:+UseSerialGC -Xmx128m' bench/run.sh --label serial-128m
#
# Needs: a JDK 17 (the stack), wrk, python3 (standard library only), curl-free. `bench/run.sh --help` lists options.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "bench/run.sh needs python3" >&2; exit 2; }
command -v wrk >/dev/null || { echo "bench/run.sh needs wrk (apt-get install -y wrk)" >&2; exit 2; }
exec python3 "$here/lib/bench.py" "$@"
