#!/usr/bin/env python3
"""Interleaved start-up A/B of hello-llm.jar: wall time and CPU (user + system) per configuration (Linux, macOS).

    python3 benchmarks/scripts/startup-ab.py RUNS NAME "JVM ARGS" [NAME "JVM ARGS" ...]

    python3 benchmarks/scripts/startup-ab.py 10 none "" \\
        old "-javaagent:/tmp/old-agent.jar" new "-javaagent:javaagent/target/aicost-javaagent-0.1.0-SNAPSHOT.jar"

Starts a MockOpenAiServer and an OtlpNullSink from benchmarks/target/benchmarks.jar, then runs
`java ARGS -jar benchmarks/target/hello-llm.jar` RUNS times per configuration, the configurations interleaved
(a, b, c, a, b, c, ...) so that a change in the machine's load hits all of them. Prints, per configuration, the median
wall time and CPU time and what each adds to the first configuration. The environment variable JAVA selects the JVM
(default: java on the PATH). This is how docs/performance.md#start-up compares two agent jars; StartupBenchmark is
the recorded benchmark (with heap and the OpenTelemetry Java agent).
"""
import os
import resource
import statistics
import subprocess
import sys
import time

if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
    sys.exit(__doc__)
runs = int(sys.argv[1])
configs = [(sys.argv[i], sys.argv[i + 1].split()) for i in range(2, len(sys.argv), 2)]
here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, "..", "target")
benchmarks_jar = os.path.join(target, "benchmarks.jar")
hello = os.path.join(target, "hello-llm.jar")
java = os.environ.get("JAVA", "java")
for jar in (benchmarks_jar, hello):
    if not os.path.exists(jar):
        sys.exit(f"{jar} is missing: build it with mvn -q package -pl benchmarks -am -DskipTests")


def start(main_class, *args):
    """Starts a helper server from benchmarks.jar; returns the process and the first line it prints (its URL)."""
    p = subprocess.Popen([java, "-cp", benchmarks_jar, main_class, *args], stdout=subprocess.PIPE, text=True)
    return p, p.stdout.readline().strip()


mock, mock_url = start("dev.aicost.testing.MockOpenAiServer", "--port", "0")
sink, sink_url = start("dev.aicost.benchmarks.OtlpNullSink", "0")
results = {name: [] for name, _ in configs}
try:
    for r in range(runs):
        for name, args in configs:
            cmd = [java, *args, f"-Dotel.exporter.otlp.endpoint={sink_url}", "-Dotel.service.name=hello-llm",
                   "-jar", hello, mock_url]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.monotonic()
            p = subprocess.run(cmd, capture_output=True, text=True)
            wall = time.monotonic() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode != 0:
                sys.exit(f"{name} failed (exit {p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            results[name].append((wall, cpu))
finally:
    mock.kill()
    sink.kill()

base_wall = statistics.median(w for w, _ in results[configs[0][0]])
base_cpu = statistics.median(c for _, c in results[configs[0][0]])
for name, _ in configs:
    wall = statistics.median(w for w, _ in results[name])
    cpu = statistics.median(c for _, c in results[name])
    walls = ", ".join(f"{w:.2f}" for w, _ in results[name])
    print(f"{name:14s} wall {wall:.2f} s ({wall - base_wall:+.2f})  cpu {cpu:.2f} s ({cpu - base_cpu:+.2f})  "
          f"walls: {walls}")
