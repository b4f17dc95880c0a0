package dev.aicost.javaagent.internal;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Defines an instrumentation's helper classes in the class loader of the library it instruments, so that they can
 * use the library's types (wrap its responses, read its usage objects) with ordinary typed code.
 *
 * <p>It calls {@code ClassLoader.defineClass} reflectively after opening {@code java.lang} to the agent through
 * {@link Instrumentation#redefineModule}: supported on every JDK from 11 to 25, with no {@code sun.misc.Unsafe}.
 */
final class HelperInjector {

  /** Reads the bytes of an agent class by name. */
  interface ClassBytes {
    byte[] read(String className) throws Exception;
  }

  private final ClassBytes classBytes;
  private final Method defineClass;
  private final Method findLoadedClass;
  private final Method getClassLoadingLock;
  private final Map<ClassLoader, Set<String>> injected = new WeakHashMap<>();

  HelperInjector(Instrumentation instrumentation, ClassBytes classBytes) throws ReflectiveOperationException {
    this.classBytes = classBytes;
    openJavaLangToAgent(instrumentation);
    defineClass =
        ClassLoader.class.getDeclaredMethod(
            "defineClass", String.class, byte[].class, int.class, int.class, ProtectionDomain.class);
    defineClass.setAccessible(true);
    findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
    findLoadedClass.setAccessible(true);
    getClassLoadingLock = ClassLoader.class.getDeclaredMethod("getClassLoadingLock", String.class);
    getClassLoadingLock.setAccessible(true);
  }

  /**
   * Opens {@code java.lang} to the agent's class loader (its unnamed module) and to nothing else, so that the agent
   * can reach {@code ClassLoader}'s defining methods; {@link BridgeDefiner} needs the same. Calling it again is a
   * no-op.
   */
  static void openJavaLangToAgent(Instrumentation instrumentation) {
    instrumentation.redefineModule(
        Object.class.getModule(),
        Collections.emptySet(),
        Collections.emptyMap(),
        Collections.singletonMap("java.lang", Collections.singleton(HelperInjector.class.getModule())),
        Collections.emptySet(),
        Collections.emptyMap());
  }

  /**
   * Defines {@code classNames} (supertypes first) in {@code loader} unless already there.
   *
   * @throws Exception when a class cannot be defined; the caller then leaves the library uninstrumented
   */
  void inject(ClassLoader loader, List<String> classNames) throws Exception {
    inject(loader, classNames, classBytes);
  }

  /** As {@link #inject(ClassLoader, List)}, reading the bytes with {@code bytes} (e.g. remapped). */
  void inject(ClassLoader loader, List<String> classNames, ClassBytes bytesOf) throws Exception {
    if (loader == null || classNames.isEmpty()) {
      return;
    }
    synchronized (injected) {
      Set<String> done = injected.computeIfAbsent(loader, l -> new HashSet<>());
      if (done.containsAll(classNames)) {
        return;
      }
      for (String name : classNames) {
        if (done.contains(name)) {
          continue;
        }
        synchronized (getClassLoadingLock.invoke(loader, name)) {
          if (findLoadedClass.invoke(loader, name) == null) {
            byte[] bytes = bytesOf.read(name);
            defineClass.invoke(loader, name, bytes, 0, bytes.length, null);
          }
        }
        done.add(name);
      }
    }
  }
}
