package dev.aicost.javaagent.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the {@code dev.aicost.bootstrap} bridge (the agent jar's {@code dev/aicost/bootstrap/} classes) in the
 * bootstrap class loader, so that every class loader, the JDK's included, shares one copy of it.
 *
 * <p>Why not {@link Instrumentation#appendToBootstrapClassLoaderSearch}, the usual way: HotSpot then prints
 * "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes because bootstrap classpath
 * has been appended" on the application's standard error at every start (class-data sharing is on by default), a
 * line the application did not write. The bridge is instead defined directly, with the
 * JDK's own {@code ClassLoader.defineClass1} for the bootstrap loader ({@code null}), reached by opening
 * {@code java.lang} to the agent's class loader only, as {@link HelperInjector} does for helper classes.
 *
 * <p>Loaded by the agent's class loader before {@link AgentInstaller}, and naming no class of the bridge itself: the
 * bridge does not exist until this has run.
 */
public final class BridgeDefiner {

  /** Where the bridge's class files are in the agent jar. */
  static final String BRIDGE_PATH = "dev/aicost/bootstrap/";
  /**
   * The list of those class files, one per line, written by the build (javaagent/pom.xml): reading it instead of
   * walking the jar's ~5,000 entries takes ~15 ms off premain, on the application's thread.
   */
  static final String INDEX = "inst/META-INF/aicost/bridge-classes";

  private BridgeDefiner() {}

  /**
   * Defines every bridge class of {@code agentJar} in the bootstrap class loader; returns {@code null} when done,
   * else why not. Then the caller appends the jar to the bootstrap class path instead: a class defined before the
   * failure has the same bytes as the jar's, so the bootstrap loader finds one consistent bridge either way.
   */
  public static String define(Instrumentation instrumentation, JarFile agentJar) {
    Map<String, byte[]> pending = new LinkedHashMap<>();
    try {
      for (String name : bridgeEntries(agentJar)) {
        JarEntry entry = agentJar.getJarEntry(name);
        if (entry == null) {
          return INDEX + " names " + name + ", which is not in " + agentJar.getName();
        }
        try (InputStream in = agentJar.getInputStream(entry)) {
          pending.put(name.substring(0, name.length() - ".class".length()).replace('/', '.'), in.readAllBytes());
        }
      }
    } catch (IOException e) {
      return "cannot read " + agentJar.getName() + ": " + e;
    }
    if (pending.isEmpty()) {
      return "no " + BRIDGE_PATH + " classes in " + agentJar.getName();
    }
    MethodHandle defineClass1;
    try {
      HelperInjector.openJavaLangToAgent(instrumentation);
      // static native Class<?> defineClass1(ClassLoader, String, byte[], int, int, ProtectionDomain, String):
      // the same on JDK 11 to 25; a null loader is the bootstrap loader. A method handle, not Method.invoke: on
      // JDK 17 the 16th reflective call generates an accessor class (~4 ms on the application's thread).
      defineClass1 =
          MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup())
              .findStatic(
                  ClassLoader.class,
                  "defineClass1",
                  MethodType.methodType(
                      Class.class,
                      ClassLoader.class,
                      String.class,
                      byte[].class,
                      int.class,
                      int.class,
                      ProtectionDomain.class,
                      String.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "no access to ClassLoader.defineClass1: " + e;
    }
    // A class can be defined only once its superclass and interfaces are: the bootstrap loader finds no class it was
    // not given. The bridge is a few dozen classes, so passes until none is left (or none could be defined) are cheap.
    while (!pending.isEmpty()) {
      List<String> waiting = new ArrayList<>();
      for (Iterator<Map.Entry<String, byte[]>> i = pending.entrySet().iterator(); i.hasNext(); ) {
        Map.Entry<String, byte[]> c = i.next();
        byte[] bytes = c.getValue();
        try {
          Class<?> unused = // invokeExact needs the call site's return type to be the handle's
              (Class<?>)
                  defineClass1.invokeExact(
                      (ClassLoader) null, c.getKey(), bytes, 0, bytes.length, (ProtectionDomain) null, (String) null);
          i.remove();
        } catch (NoClassDefFoundError supertypeNotYetDefined) {
          waiting.add(c.getKey());
        } catch (Throwable e) {
          return "cannot define " + c.getKey() + ": " + e;
        }
      }
      if (waiting.size() == pending.size() && !waiting.isEmpty()) {
        return "the supertypes of " + waiting + " are missing";
      }
    }
    return null;
  }

  /** The bridge's class-file entries: from the build's list, or found by walking the jar when it has none. */
  static List<String> bridgeEntries(JarFile agentJar) throws IOException {
    List<String> names = new ArrayList<>();
    JarEntry index = agentJar.getJarEntry(INDEX);
    if (index != null) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(agentJar.getInputStream(index), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (!line.trim().isEmpty()) {
            names.add(line.trim());
          }
        }
      }
      return names;
    }
    for (Enumeration<JarEntry> e = agentJar.entries(); e.hasMoreElements(); ) {
      String name = e.nextElement().getName();
      if (name.startsWith(BRIDGE_PATH) && name.endsWith(".class")) {
        names.add(name);
      }
    }
    return names;
  }
}
