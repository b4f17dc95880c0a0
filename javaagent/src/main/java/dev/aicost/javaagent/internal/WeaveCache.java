package dev.aicost.javaagent.internal;

import dev.aicost.sdk.AiCostSettings;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Woven class files kept on disk between runs. A JVM that loads a class with the same bytes as an earlier run, with
 * the same agent build, takes the earlier weave instead of weaving again: an application whose candidates are all in
 * the cache never loads Byte Buddy (most of the agent's added start-up CPU; docs/performance.md#start-up).
 *
 * <p>An entry is used only for the exact class-file bytes it was made from (stored in it and compared) and only when
 * every module decides today as it did then (library present, reference check passed); the modules still check
 * references and inject helpers as without the cache. A folder per agent build (a digest of the agent jar's content)
 * keeps the weaves of another build apart. Entries are written to a temporary file and renamed into place, carry a
 * checksum, and are read only from a folder that this user owns and nobody else can write: a damaged, foreign or
 * stale entry is a miss, never a wrong class.
 */
final class WeaveCache {

  /** The setting that turns the cache off ({@code false}). */
  static final String ENABLED = "aicost.weave-cache.enabled";
  /** The setting that moves the cache (the folder that holds one folder per agent build). */
  static final String DIR = "aicost.weave-cache.dir";
  /** The agent jar's build digest, written by the build (javaagent/src/build: {@code BuildId}). */
  static final String BUILD_ID_RESOURCE = "META-INF/aicost/build-id";

  /** No cache: every lookup misses and nothing is stored. */
  static final WeaveCache OFF = new WeaveCache(null, false);

  private static final int MAGIC = 0x41494357; // "AICW"
  private static final int FORMAT = 2;
  /** Longest class-name part of an entry's file name (file systems allow 255 bytes). */
  private static final int MAX_NAME_IN_FILE_NAME = 160;
  /** Entries beyond this count are pruned, oldest first ({@link #prune}). */
  static final int MAX_ENTRIES = 2_000;
  /** Other builds' folders unused for this long are deleted ({@link #prune}). */
  private static final long STALE_BUILD_MILLIS = TimeUnit.DAYS.toMillis(30);

  /**
   * A stored weave: the modules that named the class (comma-separated, in order), what each decided, and the result
   * ({@code null}: the class stays unchanged).
   */
  static final class Entry {
    final String modules;
    final byte[] decisions;
    final byte[] woven;

    Entry(String modules, byte[] decisions, byte[] woven) {
      this.modules = modules;
      this.decisions = decisions;
      this.woven = woven;
    }
  }

  /** This build's folder; {@code null} when off. */
  private final Path dir;
  /** Whether a folder given by the user failed the checks (a warning) rather than the default one (a debug line). */
  private final boolean configured;
  /** Whether the folder may be read: 0 unchecked, 1 yes, -1 no (checked once, on first use). */
  private volatile int state;
  /** Cleared by the first write that fails: the entries there may still be read (e.g. a read-only image folder). */
  private volatile boolean writable = true;

  private WeaveCache(Path dir, boolean configured) {
    this.dir = dir;
    this.configured = configured;
  }

  /** The cache of this agent build ({@code buildId} {@code null}: not a packaged agent) as the settings say. */
  static WeaveCache open(AiCostSettings settings, String buildId) {
    if (!settings.getBoolean(ENABLED, true)) {
      AgentLog.debug("weave cache off (" + ENABLED + "=false)");
      return OFF;
    }
    if (!isBuildId(buildId)) {
      AgentLog.debug("weave cache off: this agent has no build id (" + BUILD_ID_RESOURCE + ")");
      return OFF;
    }
    String configuredDir = settings.getString(DIR);
    boolean configured = configuredDir != null && !configuredDir.trim().isEmpty();
    Path root = configured ? Paths.get(configuredDir.trim()) : defaultRoot();
    if (root == null) {
      AgentLog.debug("weave cache off: no user home or XDG_CACHE_HOME to keep it in (set " + DIR + ")");
      return OFF;
    }
    return new WeaveCache(root.toAbsolutePath().resolve(buildId), configured);
  }

  /** 16 to 64 lower-case hex digits, as {@code BuildId} writes them (checked without a regex: it runs in premain). */
  static boolean isBuildId(String s) {
    if (s == null || s.length() < 16 || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** {@code $XDG_CACHE_HOME/aicost/weave}, else {@code ~/.cache/aicost/weave}; {@code null} without either. */
  private static Path defaultRoot() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && Paths.get(xdg).isAbsolute()) {
      return Paths.get(xdg, "aicost", "weave");
    }
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty() || home.equals("?") || !Paths.get(home).isAbsolute()) {
      return null;
    }
    return Paths.get(home, ".cache", "aicost", "weave");
  }

  /** The build id the packaging wrote into the agent jar; {@code null} when absent (tests run from classes). */
  static String buildId(ClassLoader agentLoader) {
    try (java.io.InputStream in = agentLoader.getResourceAsStream(BUILD_ID_RESOURCE)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return null;
    }
  }

  boolean isOn() {
    return dir != null && state >= 0;
  }

  /** The weave stored for exactly these class-file bytes; {@code null} when there is none (or it cannot be used). */
  Entry lookup(String className, byte[] classFile) {
    if (!isOn()) {
      return null;
    }
    byte[] data;
    try {
      data = Files.readAllBytes(entryFile(className, classFile));
    } catch (NoSuchFileException e) {
      return null;
    } catch (Throwable t) {
      AgentLog.debug("weave cache: cannot read the entry of " + className + ": " + t);
      return null;
    }
    if (!usable()) {
      return null;
    }
    return decode(data, className, classFile);
  }

  /**
   * Keeps a weave for the next run. A failed write stops the writes of this run (one line), not the reads: a folder
   * filled when an image was built may be read-only for the user the application runs as.
   */
  void store(String className, byte[] classFile, String modules, byte[] decisions, byte[] woven) {
    if (!isOn() || !writable) {
      return;
    }
    try {
      if (state == 0) {
        createDir();
      }
      if (!usable()) {
        return;
      }
      Path file = entryFile(className, classFile);
      Path temp = Files.createTempFile(dir, "entry", ".tmp");
      try {
        Files.write(temp, encode(className, classFile, modules, decisions, woven));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (Throwable t) {
      writable = false;
      String message = "weave cache: no more writes in this run, cannot write to " + dir + ": " + t;
      if (configured) {
        AgentLog.warn(message);
      } else {
        AgentLog.debug(message); // e.g. a read-only home in a container: nothing the user asked for is lost
      }
    }
  }

  private void createDir() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Whether the folder may be trusted, checked once: it exists, belongs to the user this JVM runs as (or to root, as
   * a folder filled when a container image was built does) and nobody else may write to it. Another user able to
   * plant entries could otherwise put their code into this JVM's classes.
   */
  private boolean usable() {
    int s = state;
    if (s != 0) {
      return s > 0;
    }
    synchronized (this) {
      if (state != 0) {
        return state > 0;
      }
      String problem = trustProblem(dir);
      if (problem == null) {
        state = 1;
      } else {
        state = -1;
        String message = "weave cache off: " + dir + " " + problem;
        if (configured) {
          AgentLog.warn(message);
        } else {
          AgentLog.debug(message);
        }
      }
      return state > 0;
    }
  }

  /** Why {@code dir} is not to be trusted; {@code null} when it is. */
  static String trustProblem(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        return "is not a folder";
      }
      if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        return null; // Windows: the folder is under the user's profile unless configured elsewhere
      }
      PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return "may be written by other users (" + PosixFilePermissions.toString(permissions) + ")";
      }
      if (!ownedByThisUserOrRoot(dir, attributes)) {
        return "belongs to " + attributes.owner().getName() + ", neither the user this JVM runs as nor root";
      }
      return null;
    } catch (Throwable t) {
      return "cannot be checked: " + t;
    }
  }

  private static boolean ownedByThisUserOrRoot(Path dir, PosixFileAttributes attributes) {
    try {
      // Linux: /proc/self belongs to the process's user, which needs no user name (containers often have none).
      Object owningUid = Files.getAttribute(dir, "unix:uid");
      return Integer.valueOf(0).equals(owningUid) || Files.getAttribute(Paths.get("/proc/self"), "unix:uid").equals(owningUid);
    } catch (Throwable notLinux) {
      String owner = attributes.owner().getName();
      return owner.equals("root") || owner.equals(System.getProperty("user.name"));
    }
  }

  /** {@code <class name>-<crc32>-<length>.woven}: one file per class-file version. */
  Path entryFile(String className, byte[] classFile) {
    CRC32 crc = new CRC32();
    crc.update(classFile, 0, classFile.length);
    String name = className;
    if (name.length() > MAX_NAME_IN_FILE_NAME) {
      name = name.substring(0, MAX_NAME_IN_FILE_NAME) + "~" + Integer.toHexString(className.hashCode());
    }
    return dir.resolve(name + "-" + Long.toHexString(crc.getValue()) + "-" + classFile.length + ".woven");
  }

  static byte[] encode(String className, byte[] classFile, String modules, byte[] decisions, byte[] woven)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + (woven == null ? 0 : woven.length) + 256);
    CRC32 crc = new CRC32();
    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(bytes, crc));
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    lengthAndBytes(out, className.getBytes(StandardCharsets.UTF_8));
    lengthAndBytes(out, modules.getBytes(StandardCharsets.UTF_8));
    lengthAndBytes(out, decisions);
    lengthAndBytes(out, classFile);
    if (woven == null) {
      out.writeInt(-1);
    } else {
      lengthAndBytes(out, woven);
    }
    out.flush();
    new DataOutputStream(bytes).writeLong(crc.getValue()); // the checksum of all that precedes it
    return bytes.toByteArray();
  }

  private static void lengthAndBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  /** The entry in {@code data} if it is whole and was made from exactly {@code classFile}; else {@code null}. */
  static Entry decode(byte[] data, String className, byte[] classFile) {
    try {
      if (data.length < 8 + 5 * 4 + 8) {
        return null;
      }
      CRC32 crc = new CRC32();
      crc.update(data, 0, data.length - 8);
      ByteBuffer in = ByteBuffer.wrap(data);
      if (in.getLong(data.length - 8) != crc.getValue() || in.getInt() != MAGIC || in.getInt() != FORMAT) {
        return null;
      }
      byte[] name = className.getBytes(StandardCharsets.UTF_8);
      if (!sameBytes(in, name)) {
        return null;
      }
      byte[] moduleNames = new byte[in.getInt()];
      in.get(moduleNames);
      byte[] decisions = new byte[in.getInt()];
      in.get(decisions);
      if (!sameBytes(in, classFile)) {
        return null;
      }
      int wovenLength = in.getInt();
      byte[] woven = null;
      if (wovenLength >= 0) {
        woven = new byte[wovenLength];
        in.get(woven);
      }
      return in.remaining() == 8 ? new Entry(new String(moduleNames, StandardCharsets.UTF_8), decisions, woven) : null;
    } catch (RuntimeException malformed) {
      return null;
    }
  }

  /** Reads a length-prefixed byte string and whether it equals {@code expected}. */
  private static boolean sameBytes(ByteBuffer in, byte[] expected) {
    int length = in.getInt();
    if (length != expected.length) {
      return false;
    }
    int at = in.position();
    in.position(at + length);
    return Arrays.equals(in.array(), at, at + length, expected, 0, expected.length);
  }

  /**
   * Housekeeping, off the start-up path: marks this build's folder as in use, deletes the folders of other builds
   * unused for 30 days, and keeps this build's entries to {@link #MAX_ENTRIES} (the oldest go first).
   */
  void prune() {
    if (!isOn() || !Files.isDirectory(dir)) {
      return;
    }
    try {
      long now = System.currentTimeMillis();
      Files.setLastModifiedTime(dir, FileTime.fromMillis(now));
      try (DirectoryStream<Path> builds = Files.newDirectoryStream(dir.getParent())) {
        for (Path build : builds) {
          if (!build.equals(dir) && Files.isDirectory(build) && isBuildId(build.getFileName().toString())
              && now - Files.getLastModifiedTime(build).toMillis() > STALE_BUILD_MILLIS) {
            deleteFolder(build);
          }
        }
      }
      List<Path> entries = new ArrayList<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path f : files) {
          entries.add(f);
        }
      }
      if (entries.size() > MAX_ENTRIES) {
        List<Object[]> dated = new ArrayList<>();
        for (Path f : entries) {
          dated.add(new Object[] {Files.getLastModifiedTime(f).toMillis(), f});
        }
        dated.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
        for (int i = 0; i < dated.size() - MAX_ENTRIES / 2; i++) {
          Files.deleteIfExists((Path) dated.get(i)[1]);
        }
      }
    } catch (Throwable t) {
      AgentLog.debug("weave cache: housekeeping of " + dir + " failed: " + t);
    }
  }

  private static void deleteFolder(Path folder) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(folder);
  }
}
