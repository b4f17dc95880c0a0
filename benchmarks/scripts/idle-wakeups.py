#!/usr/bin/env python3
"""How often each thread of an idle JVM wakes up (Linux: /proc/PID/task/*/status, voluntary context switches).

    python3 benchmarks/scripts/idle-wakeups.py SECONDS [JVM ARGS ...]

    python3 benchmarks/scripts/idle-wakeups.py 10 -javaagent:javaagent/target/aicost-javaagent-0.1.0-SNAPSHOT.jar \\
        -Daicost.ledger.path=/tmp/idle-ledger.jsonl

Starts `java ARGS -cp benchmarks/target/benchmarks.jar dev.aicost.benchmarks.floor.IdleApp` (an application that
only sleeps), waits 3 s for start-up to settle, then counts every thread's voluntary context switches (each one is the
thread going to sleep after it woke) over SECONDS and prints those that woke. A thread that sleeps until work comes
counts 0; one that polls on a timer counts its period. The OTLP endpoint is a closed port: nothing is exported from
an idle application anyway. The environment variable JAVA selects the JVM.
"""
import glob
import os
import subprocess
import sys
import time

if len(sys.argv) < 2:
    sys.exit(__doc__)
seconds = float(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
benchmarks_jar = os.path.join(here, "..", "target", "benchmarks.jar")
cmd = [os.environ.get("JAVA", "java"), "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9", *sys.argv[2:],
       "-cp", benchmarks_jar, "dev.aicost.benchmarks.floor.IdleApp"]


def snapshot(pid):
    """{thread id: (name, voluntary context switches)} of every live thread of pid."""
    threads = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(os.path.join(task, "comm")) as f:
                name = f.read().strip()
            with open(os.path.join(task, "status")) as f:
                switches = next(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))
        except (OSError, StopIteration):
            continue  # the thread ended meanwhile
        threads[os.path.basename(task)] = (name, switches)
    return threads


app = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
try:
    time.sleep(3)
    if app.poll() is not None:
        sys.exit(f"the JVM exited ({app.returncode}): {' '.join(cmd)}")
    before = snapshot(app.pid)
    time.sleep(seconds)
    after = snapshot(app.pid)
finally:
    app.kill()
    app.wait()

print(f"wake-ups in {seconds:g} s of an idle JVM: {' '.join(sys.argv[2:]) or '(no JVM arguments)'}")
woke = sorted(((after[t][1] - before[t][1], after[t][0]) for t in after if t in before), reverse=True)
for count, name in woke:
    if count > 0:
        print(f"{count:8d}  {name}")
