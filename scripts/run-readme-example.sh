#!/usr/bin/env bash
# Builds and runs docs/example-project (the README's "use it in your project" example) against the
# artifacts installed in the local Maven repository by `mvn install`.
set -euo pipefail
cd "$(dirname "$0")/../docs/example-project"
mvn -B -ntp -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
out=$(java --add-modules jdk.incubator.vector -cp "target/classes:$(cat target/classpath.txt)" Example 2>/dev/null)
echo "README example printed: $out"
case "$out" in
  hello*) echo "README example: ok" ;;
  *) echo "README example: unexpected output" >&2; exit 1 ;;
esac
