package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.javaagent.instrumentation.concurrent.ConcurrencyInstrumentationModule;
import dev.aicost.sdk.AiCostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeaveCacheTest {

  private static final String BUILD = "0123456789abcdef0123456789abcdef";
  private static final String POOL = "java.util.concurrent.ThreadPoolExecutor";

  @TempDir Path root;

  private WeaveCache cache() {
    return WeaveCache.open(AiCostSettings.of(Map.of(WeaveCache.DIR, root.toString())), BUILD);
  }

  private static AgentTransformer concurrencyTransformer(WeaveCache cache) {
    ClassLoader agent = WeaveCacheTest.class.getClassLoader();
    HelperInjector.ClassBytes bytes = name -> AgentInstaller.classBytes(agent, name);
    List<ModuleApplier> appliers = new ArrayList<>();
    appliers.add(new ModuleApplier(new ConcurrencyInstrumentationModule(), null, bytes, ClassFileLocator.ForClassLoader.of(agent)));
    return new AgentTransformer(appliers, null, cache, java.util.Collections.emptySet());
  }

  private static byte[] jdkClassFile(String name) throws Exception {
    return ClassFileLocator.ForClassLoader.ofBootLoader().locate(name).resolve();
  }

  private List<Path> entries() throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".woven")).collect(Collectors.toList());
    }
  }

  @Test
  void aWeaveIsKeptAndAnotherRunTakesItInsteadOfWeaving() throws Exception {
    byte[] original = jdkClassFile(POOL);
    byte[] woven = concurrencyTransformer(cache()).transform(null, null, POOL.replace('.', '/'), null, null, original);
    assertThat(woven).isNotNull().isNotEqualTo(original);
    List<Path> entries = entries();
    assertThat(entries).hasSize(1);
    Path entry = entries.get(0);
    assertThat(entry.getParent()).isEqualTo(root.resolve(BUILD));
    assertThat(entry.getFileName().toString()).startsWith(POOL + "-").endsWith("-" + original.length + ".woven");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(BUILD)))).isEqualTo("rwx------");

    // The next run's transformer returns what the entry holds: here a marked result, to tell it from a new weave.
    WeaveCache.Entry kept = WeaveCache.decode(Files.readAllBytes(entry), POOL, original);
    assertThat(kept.woven).isEqualTo(woven);
    assertThat(kept.decisions).containsExactly(AgentTransformer.APPLIED);
    assertThat(kept.modules).isEqualTo("concurrency");
    byte[] marked = Arrays.copyOf(woven, woven.length + 1);
    Files.write(entry, WeaveCache.encode(POOL, original, kept.modules, kept.decisions, marked));
    assertThat(concurrencyTransformer(cache()).transform(null, null, POOL.replace('.', '/'), null, null, original))
        .isEqualTo(marked);
  }

  @Test
  void anEntryIsTakenOnlyWhenTheModulesDecideAsTheyDidThen() throws Exception {
    byte[] original = jdkClassFile(POOL);
    byte[] woven = concurrencyTransformer(WeaveCache.OFF).transform(null, null, POOL.replace('.', '/'), null, null, original);
    WeaveCache cache = cache();
    // Stored as if the concurrency module had not been there: today it is, so the class is woven, not left alone.
    cache.store(POOL, original, "concurrency", new byte[] {AgentTransformer.NO_LIBRARY}, null);
    assertThat(concurrencyTransformer(cache()).transform(null, null, POOL.replace('.', '/'), null, null, original))
        .isEqualTo(woven);
    // Stored for another module list (two targets): not this transformer's.
    cache.store(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED, AgentTransformer.APPLIED}, new byte[] {1, 2, 3});
    assertThat(concurrencyTransformer(cache()).transform(null, null, POOL.replace('.', '/'), null, null, original))
        .isEqualTo(woven);
    // Stored by another module naming the class (as when the enabled modules differ): its decisions are not ours.
    cache.store(POOL, original, "another-module", new byte[] {AgentTransformer.APPLIED}, new byte[] {1, 2, 3});
    assertThat(concurrencyTransformer(cache()).transform(null, null, POOL.replace('.', '/'), null, null, original))
        .isEqualTo(woven);
  }

  @Test
  void anEntryServesOnlyTheExactBytesItWasMadeFromAndOnlyWhenWhole() throws Exception {
    byte[] original = jdkClassFile(POOL);
    byte[] woven = {1, 2, 3};
    byte[] data = WeaveCache.encode(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED}, woven);
    assertThat(WeaveCache.decode(data, POOL, original).woven).isEqualTo(woven);
    assertThat(WeaveCache.decode(WeaveCache.encode(POOL, original, "concurrency", new byte[] {1}, null), POOL, original).woven).isNull();

    byte[] otherVersion = original.clone();
    otherVersion[otherVersion.length - 1] ^= 1; // same length: same file name only if the CRC also collides
    assertThat(WeaveCache.decode(data, POOL, otherVersion)).isNull();
    assertThat(WeaveCache.decode(data, "java.util.concurrent.ForkJoinTask", original)).isNull();
    for (int cut : new int[] {0, 7, 20, data.length / 2, data.length - 1}) {
      assertThat(WeaveCache.decode(Arrays.copyOf(data, cut), POOL, original)).as("cut at " + cut).isNull();
    }
    byte[] flipped = data.clone();
    flipped[data.length / 2] ^= 0x10;
    assertThat(WeaveCache.decode(flipped, POOL, original)).isNull();
  }

  @Test
  void aFolderOtherUsersMayWriteToIsNeverRead() throws Exception {
    byte[] original = jdkClassFile(POOL);
    WeaveCache writer = cache();
    writer.store(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {42});
    assertThat(cache().lookup(POOL, original).woven).containsExactly(42);

    Files.setPosixFilePermissions(root.resolve(BUILD), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(WeaveCache.trustProblem(root.resolve(BUILD))).contains("may be written by other users");
    WeaveCache reader = cache();
    assertThat(reader.lookup(POOL, original)).isNull();
    assertThat(reader.isOn()).isFalse();
    assertThat(WeaveCache.trustProblem(root.resolve("missing"))).isEqualTo("is not a folder");
  }

  @Test
  void theCacheIsOffWhenTurnedOffOrWithoutABuildIdAndAnUnwritableFolderOnlyTurnsItOff() throws Exception {
    assertThat(WeaveCache.open(AiCostSettings.of(Map.of(WeaveCache.ENABLED, "false", WeaveCache.DIR, root.toString())), BUILD).isOn())
        .isFalse();
    assertThat(WeaveCache.open(AiCostSettings.of(Map.of(WeaveCache.DIR, root.toString())), null).isOn()).isFalse();
    assertThat(WeaveCache.open(AiCostSettings.of(Map.of(WeaveCache.DIR, root.toString())), "../../etc").isOn()).isFalse();
    assertThat(WeaveCache.buildId(getClass().getClassLoader())).as("tests run from classes, not the packaged agent").isNull();
    assertThat(WeaveCache.isBuildId(BUILD)).isTrue();
    assertThat(WeaveCache.isBuildId(BUILD.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(WeaveCache.isBuildId("0123456789abcde")).isFalse(); // 15 digits
    assertThat(WeaveCache.isBuildId(BUILD + BUILD + "0")).isFalse(); // 65 digits

    Path file = Files.createFile(root.resolve("a-file"));
    WeaveCache blocked = WeaveCache.open(AiCostSettings.of(Map.of(WeaveCache.DIR, file.toString())), BUILD);
    byte[] original = jdkClassFile(POOL);
    blocked.store(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {1});
    assertThat(blocked.lookup(POOL, original)).isNull();
    // The transformer still weaves.
    assertThat(concurrencyTransformer(blocked).transform(null, null, POOL.replace('.', '/'), null, null, original)).isNotNull();
  }

  @Test
  void aWriteThatFailsStopsTheWritesOfTheRunButNotTheReads() throws Exception {
    byte[] pool = jdkClassFile(POOL);
    String forkJoin = "java.util.concurrent.ForkJoinTask";
    byte[] task = jdkClassFile(forkJoin);
    cache().store(POOL, pool, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {7});
    WeaveCache cache = cache();
    // A folder where ForkJoinTask's entry would go: its write fails (as in a folder this user may only read).
    Path blocker = cache.entryFile(forkJoin, task);
    Files.createDirectories(blocker.resolve("not-empty"));
    cache.store(forkJoin, task, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {8});
    assertThat(cache.lookup(POOL, pool).woven).containsExactly(7);
    assertThat(cache.isOn()).isTrue();
    // No further writes in this run.
    Files.delete(blocker.resolve("not-empty"));
    Files.delete(blocker);
    cache.store(forkJoin, task, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {8});
    assertThat(blocker).doesNotExist();
  }

  @Test
  void aFolderOfAnotherUserThanThisOneOrRootIsNeverRead() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root to give a folder away");
    Path folder = Files.createDirectories(root.resolve("other"));
    assertThat(WeaveCache.trustProblem(folder)).isNull(); // root's own
    Files.setAttribute(folder, "unix:uid", 1);
    assertThat(WeaveCache.trustProblem(folder)).contains("neither the user this JVM runs as nor root");
  }

  @Test
  void housekeepingDeletesOtherBuildsUnusedFor30DaysAndTheOldestEntriesBeyondTheLimit() throws Exception {
    WeaveCache cache = cache();
    byte[] original = jdkClassFile(POOL);
    cache.store(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED}, new byte[] {1});
    Path stale = Files.createDirectories(root.resolve("fedcba9876543210fedcba9876543210"));
    Files.write(stale.resolve("x.woven"), new byte[] {1});
    Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 31L * 24 * 3600 * 1000));
    Path recent = Files.createDirectories(root.resolve("00000000000000000000000000000000"));
    Path notABuild = Files.createDirectories(root.resolve("keep-me"));
    Files.setLastModifiedTime(notABuild, FileTime.fromMillis(0));

    Path dir = root.resolve(BUILD);
    for (int i = 0; i < WeaveCache.MAX_ENTRIES; i++) {
      Path f = Files.write(dir.resolve("c" + i + ".woven"), new byte[] {1});
      Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L + i * 1000L));
    }
    cache.prune();

    assertThat(stale).doesNotExist();
    assertThat(recent).exists();
    assertThat(notABuild).exists();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> left = files.map(f -> f.getFileName().toString()).collect(Collectors.toList());
      assertThat(left).hasSize(WeaveCache.MAX_ENTRIES / 2);
      assertThat(left).contains("c" + (WeaveCache.MAX_ENTRIES - 1) + ".woven").doesNotContain("c0.woven");
      assertThat(left).anyMatch(n -> n.startsWith(POOL)); // the newest
    }
  }

  @Test
  void concurrentWritersOfOneEntryNeverLeaveAReaderWithAPartialOne() throws Exception {
    byte[] original = jdkClassFile(POOL);
    byte[] woven = Arrays.copyOf(original, original.length + 100); // any bytes: what matters is whether they come whole
    WeaveCache cache = cache();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Runnable writer =
        () -> {
          while (!stop.get()) {
            cache.store(POOL, original, "concurrency", new byte[] {AgentTransformer.APPLIED}, woven);
          }
        };
    Runnable reader =
        () -> {
          while (!stop.get()) {
            WeaveCache.Entry e = cache.lookup(POOL, original);
            if (e != null) {
              seen.incrementAndGet();
              if (!Arrays.equals(e.woven, woven)) {
                failures.add(new AssertionError("a partial or foreign entry was read"));
              }
            }
          }
        };
    List<Thread> threads = List.of(new Thread(writer), new Thread(writer), new Thread(reader), new Thread(reader));
    threads.forEach(Thread::start);
    Thread.sleep(1_000);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).isEmpty();
    assertThat(seen.get()).isPositive();
    assertThat(cache.isOn()).isTrue();
    try (Stream<Path> files = Files.list(root.resolve(BUILD))) {
      assertThat(files.map(f -> f.getFileName().toString())).allMatch(n -> n.endsWith(".woven")); // no temporary left
    }
  }
}
