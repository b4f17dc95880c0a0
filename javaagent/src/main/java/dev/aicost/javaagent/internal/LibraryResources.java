package dev.aicost.javaagent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;

/**
 * Class files of the instrumented libraries, as their class loader finds them. The JDK's application class loader is
 * asked for its own resources only ({@code findResource}): asking it the usual way ({@code getResource}) first asks
 * the platform and bootstrap loaders, which search every JDK module for a library class file, in vain, each time
 * (~40 module lookups per class file, and enough calls at start-up for the JIT to compile the JDK's image lookup;
 * docs/performance.md#start-up). The answer is the same: the JDK holds no library class. Every other loader is asked
 * the usual way, as it may delegate to where the library is.
 */
final class LibraryResources {

  private static final ClassLoader SYSTEM = ClassLoader.getSystemClassLoader();
  /** {@code ClassLoader.findResource(String)}, made accessible; {@code null} when it cannot be (no agent). */
  private static volatile Method findResource;
  private static volatile boolean unavailable;

  private LibraryResources() {}

  /** The resource ({@code a/b/C.class}) as {@code loader} finds it; {@code null} when absent. */
  static URL find(ClassLoader loader, String resource) {
    Method m = ownResourcesOf(loader);
    if (m != null) {
      try {
        return (URL) m.invoke(loader, resource);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // fall back to the usual lookup
      }
    }
    return loader.getResource(resource);
  }

  /** The resource's bytes; {@code null} when absent. */
  static byte[] read(ClassLoader loader, String resource) throws IOException {
    URL url = find(loader, resource);
    if (url == null) {
      return null;
    }
    try (InputStream in = url.openStream()) { // as ClassLoader.getResourceAsStream reads it
      return in.readAllBytes();
    }
  }

  private static Method ownResourcesOf(ClassLoader loader) {
    if (loader != SYSTEM || unavailable || !loader.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")) {
      return null;
    }
    Method m = findResource;
    if (m == null) {
      try {
        m = ClassLoader.class.getDeclaredMethod("findResource", String.class);
        m.setAccessible(true); // java.lang is opened to the agent by HelperInjector
        findResource = m;
      } catch (ReflectiveOperationException | RuntimeException notOpened) {
        unavailable = true;
        return null;
      }
    }
    return m;
  }
}
