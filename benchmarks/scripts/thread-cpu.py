#!/usr/bin/env python3
"""CPU time per thread of one process, from start to exit (Linux).

    python3 benchmarks/scripts/thread-cpu.py java -javaagent:... -jar app.jar ARGS

Runs the command, samples /proc/PID/task/*/stat every 20 ms and prints, when it exits, the CPU seconds (user +
system) of each thread group (trailing digits merged: "C2 CompilerThread0" and "...1" count together). Threads that
live shorter than a sample are missed. This is how docs/performance.md#start-up splits the agent's start-up cost
between the application's thread, the JIT compilers, GC and the agent's own threads.
"""
import collections
import os
import re
import subprocess
import sys
import time

if len(sys.argv) < 2:
    sys.exit(__doc__)
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
ticks = os.sysconf("SC_CLK_TCK")
last = {}
while proc.poll() is None:
    try:
        tids = os.listdir(f"/proc/{proc.pid}/task")
    except OSError:
        break
    for tid in tids:
        try:
            with open(f"/proc/{proc.pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        last[tid] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    time.sleep(0.02)
groups = collections.Counter()
for name, t in last.values():
    groups[re.sub(r"\d+$", "#", name)] += t
print("exit %d, total %.2f s CPU" % (proc.returncode, sum(groups.values()) / ticks))
for name, t in groups.most_common(15):
    print("  %-20s %.2f s" % (name, t / ticks))
