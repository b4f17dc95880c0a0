package dev.aicost.javaagent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes from the {@code inst/} folder of the agent jar, where they are stored as
 * {@code .classdata} so that no other class loader can find them. Its parent is the platform loader, so it shares
 * the JDK and the {@code dev.aicost.bootstrap} bridge (on the bootstrap path) with everyone else, and nothing of the
 * application; the agent's own classes are looked up here first (see {@link #loadClass(String, boolean)}).
 *
 * <p>The classes that only OTLP over gRPC needs (OkHttp, Okio, the Kotlin standard library and OpenTelemetry's
 * OkHttp sender) are not stored one entry each but in one nested jar, {@value #GRPC_BUNDLE}, that the agent jar
 * compresses as a whole: about half the size (docs/performance.md#footprint). OTLP over http/protobuf, the default,
 * never loads them; the first request for a class of {@link #GRPC_BUNDLE_PACKAGES} copies the nested jar to a
 * temporary file (deleted at exit) and loads from there.
 */
public final class AgentClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  /** Where the agent's classes and resources live inside the jar. */
  public static final String PREFIX = "inst/";

  private static final String CLASS_SUFFIX = ".classdata";

  private static final String OWN_PREFIX = "dev.aicost.";
  /** The bridge: defined in the bootstrap loader, shared with the application; never defined here. */
  private static final String BRIDGE_PREFIX = "dev.aicost.bootstrap.";

  /** The nested jar of the gRPC-only classes (built by javaagent/pom.xml, which lists the same packages). */
  static final String GRPC_BUNDLE = PREFIX + "otlp-grpc-okhttp.jar";

  /** Packages (as resource paths) whose classes and resources live in {@value #GRPC_BUNDLE}. */
  static final String[] GRPC_BUNDLE_PACKAGES = {
    "dev/aicost/shaded/okhttp3/",
    "dev/aicost/shaded/okio/",
    "dev/aicost/shaded/kotlin/",
    "dev/aicost/shaded/org/jetbrains/",
    "dev/aicost/shaded/org/intellij/",
    "dev/aicost/shaded/io/opentelemetry/exporter/sender/okhttp/",
  };

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;
  private final Object bundleLock = new Object();
  private JarFile bundle;
  private String bundleUrl;
  private boolean bundleUnavailable;

  public AgentClassLoader(File jarFile, ClassLoader parent) throws IOException {
    super(parent);
    this.jar = new JarFile(jarFile, false);
    URL location = jarFile.toURI().toURL();
    this.jarUrl = "jar:" + location.toExternalForm() + "!/";
    this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
  }

  /**
   * The agent's own classes (its code and the libraries relocated under {@code dev.aicost.shaded}) exist only here, so
   * they are looked up here first; every other name, and the bridge, which the bootstrap loader holds, is asked of
   * the parent first. Parent-first for all of them made the platform and bootstrap loaders fail a lookup for each of
   * the ~2,000 classes the agent loads at start-up: enough calls for the JIT to compile the JDK's
   * {@code BuiltinClassLoader.loadClassOrNull}, one compilation of about 0.3 s (docs/performance.md#start-up).
   */
  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (name.startsWith("java.")) {
      // Nearly all are the bootstrap loader's: asked of it directly (native), not through the platform loader's
      // loadClassOrNull, which the ~400 JDK classes the agent's code names would otherwise push into a C2 compile.
      try {
        return Class.forName(name, false, null);
      } catch (ClassNotFoundException platformModule) {
        return super.loadClass(name, resolve); // java.sql and the like: defined by the platform loader
      }
    }
    if (!name.startsWith(OWN_PREFIX) || name.startsWith(BRIDGE_PREFIX)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = findClass(name);
        } catch (ClassNotFoundException notHere) {
          return super.loadClass(name, resolve); // the entry point at the jar's root, seen through the parent
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    String path = name.replace('.', '/') + CLASS_SUFFIX;
    JarFile source = jar;
    JarEntry entry = entry(path);
    if (entry == null && inBundle(path)) {
      source = bundle();
      entry = source == null ? null : source.getJarEntry(path);
    }
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try {
      bytes = read(source, entry);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      String pkg = name.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException alreadyDefinedConcurrently) {
          // another thread defined it first
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  /**
   * The agent's own resources (its class files, service files and price catalogs) first, then the parent's. Asked
   * of the parent first, each lookup walked every module of the platform and bootstrap loaders in vain.
   */
  @Override
  public URL getResource(String name) {
    URL own = findResource(name);
    return own != null || onlyOwn(name) ? own : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (onlyOwn(name)) {
      return findResources(name);
    }
    URL own = findResource(name);
    if (own == null) {
      return super.getResources(name);
    }
    java.util.List<URL> all = new java.util.ArrayList<>();
    all.add(own);
    for (Enumeration<URL> parents = getParent().getResources(name); parents.hasMoreElements(); ) {
      URL u = parents.nextElement();
      if (!u.equals(own)) {
        all.add(u);
      }
    }
    return Collections.enumeration(all);
  }

  /** Resources of the agent's own (relocated) packages and service types: nobody else has them. */
  private static boolean onlyOwn(String name) {
    return (name.startsWith("dev/aicost/") && !name.startsWith("dev/aicost/bootstrap/"))
        || name.startsWith("META-INF/services/dev.aicost.");
  }

  @Override
  protected URL findResource(String name) {
    String path = name.endsWith(".class") ? name.substring(0, name.length() - 6) + CLASS_SUFFIX : name;
    JarEntry entry = entry(path);
    String base = jarUrl;
    if (entry == null && inBundle(path)) {
      JarFile b = bundle();
      entry = b == null ? null : b.getJarEntry(path);
      base = bundleUrl;
    }
    if (entry == null && name.endsWith(".class")) {
      // The bootstrap bridge lives at the jar's root; Byte Buddy still needs to read its class files.
      entry = jar.getJarEntry(name);
      base = jarUrl;
    }
    if (entry == null) {
      return null;
    }
    try {
      return new URL(base + entry.getName());
    } catch (MalformedURLException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
  }

  private JarEntry entry(String path) {
    return jar.getJarEntry(PREFIX + path);
  }

  private static boolean inBundle(String path) {
    for (String pkg : GRPC_BUNDLE_PACKAGES) {
      if (path.startsWith(pkg)) {
        return true;
      }
    }
    return false;
  }

  /** The gRPC-only classes, copied out of the agent jar on first use; {@code null} when that is impossible. */
  private JarFile bundle() {
    synchronized (bundleLock) {
      if (bundle != null || bundleUnavailable) {
        return bundle;
      }
      JarEntry nested = jar.getJarEntry(GRPC_BUNDLE);
      if (nested == null) {
        bundleUnavailable = true;
        return null;
      }
      Path copy = null;
      try {
        copy = Files.createTempFile("aicost-otlp-grpc-", ".jar");
        copy.toFile().deleteOnExit();
        try (InputStream in = jar.getInputStream(nested)) {
          Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        bundle = new JarFile(copy.toFile(), false);
        bundleUrl = "jar:" + copy.toUri().toURL().toExternalForm() + "!/";
      } catch (IOException | RuntimeException e) {
        bundleUnavailable = true;
        System.err.println(
            "[aicost] ERROR cannot extract the OTLP gRPC sender (" + GRPC_BUNDLE + ") to a temporary file"
                + (copy == null ? "" : " " + copy) + ": " + e
                + "; OTLP over gRPC is unavailable (http/protobuf is not affected; check java.io.tmpdir)");
      }
      return bundle;
    }
  }

  /**
   * The entry's bytes, read into one array of the entry's size: the agent defines ~2,000 classes at start-up, and a
   * growing buffer plus its copy tripled what that allocates (~20 MB), every fresh page of it a page fault
   * (docs/performance.md#start-up).
   */
  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      long size = entry.getSize();
      if (size < 0 || size > Integer.MAX_VALUE - 8) {
        return in.readAllBytes(); // size not recorded in the jar
      }
      byte[] bytes = new byte[(int) size];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n != bytes.length || in.read() != -1) {
        throw new IOException("entry " + entry.getName() + " is not " + size + " bytes long");
      }
      return bytes;
    }
  }
}
