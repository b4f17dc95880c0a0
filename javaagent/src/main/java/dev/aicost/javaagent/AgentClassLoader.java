package dev.aicost.javaagent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes from the {@code inst/} folder of the agent jar, where they are stored as
 * {@code .classdata} so that no other class loader can find them. Parent-first through the platform loader, so
 * it shares the JDK and the {@code dev.aicost.bootstrap} bridge (on the bootstrap path) with everyone else, and
 * nothing of the application.
 */
public final class AgentClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  /** Where the agent's classes and resources live inside the jar. */
  public static final String PREFIX = "inst/";

  private static final String CLASS_SUFFIX = ".classdata";

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(File jarFile, ClassLoader parent) throws IOException {
    super(parent);
    this.jar = new JarFile(jarFile, false);
    URL location = jarFile.toURI().toURL();
    this.jarUrl = "jar:" + location.toExternalForm() + "!/";
    this.domain = new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = entry(name.replace('.', '/') + CLASS_SUFFIX);
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try {
      bytes = read(entry);
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

  @Override
  protected URL findResource(String name) {
    String path = name.endsWith(".class") ? name.substring(0, name.length() - 6) + CLASS_SUFFIX : name;
    JarEntry entry = entry(path);
    if (entry == null && name.endsWith(".class")) {
      // The bootstrap bridge lives at the jar's root; Byte Buddy still needs to read its class files.
      entry = jar.getJarEntry(name);
    }
    if (entry == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entry.getName());
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

  private byte[] read(JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(entry.getSize(), 1024));
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }
}
