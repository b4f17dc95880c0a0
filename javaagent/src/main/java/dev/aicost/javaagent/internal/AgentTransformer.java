package dev.aicost.javaagent.internal;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's only class-file transformer. Every class the JVM loads passes through it, so it decides with one hash
 * lookup of the class name (the modules name the types they change) and, in class loaders that can see the aicost
 * SDK, a walk of the constant pool for the annotations that drive {@code @CostCenter}. Byte Buddy sees only those
 * candidates: an application that loads none of them never loads Byte Buddy, and one that does pays for the few
 * classes it weaves instead of for every class it loads. (Byte Buddy's own {@code AgentBuilder} matched every class
 * and generated a transformer subclass at installation: most of the agent's start-up; docs/performance.md#start-up.)
 *
 * <p>Types are decorated in place (advice is inlined, nothing is added), so retransforming a class that was loaded
 * before the agent is the same operation as transforming one being loaded. Failures are logged once per type and the
 * class is left as it was.
 */
final class AgentTransformer implements ClassFileTransformer {

  /**
   * The agent's own class loader: it holds a copy of the SDK (so the annotations are "visible"), but none of its
   * classes is the application's, and reading them for annotations would only load more of them. Not excluded when
   * the agent's classes share the system class loader (in tests).
   */
  private static final ClassLoader AGENT_LOADER =
      AgentTransformer.class.getClassLoader() != ClassLoader.getSystemClassLoader()
          ? AgentTransformer.class.getClassLoader()
          : null;

  private final List<ModuleApplier> appliers;
  /**
   * The modules that name a type, by its internal name ({@code a/b/C}). Built from the names the modules declare,
   * so that installing the agent builds no matcher or advice (Byte Buddy's): a module builds those with its first
   * weave ({@link ModuleApplier#instrumentations}).
   */
  private final Map<String, List<ModuleApplier>> byName = new HashMap<>();
  /** The modules that select types by the annotations their class files mention. */
  private final List<ModuleApplier> byAnnotation = new ArrayList<>();
  private final Set<String> annotationNames = new LinkedHashSet<>();
  private final byte[][] annotationDescriptors;
  /** Internal names of the JDK classes the modules change (bootstrap loader). */
  private final Set<String> jdkNames = new java.util.HashSet<>();
  /** Set while this thread weaves: candidates loaded by the weaving itself are collected here, changed afterwards. */
  private final ThreadLocal<List<Object[]>> weaving = new ThreadLocal<>();
  /** Candidates that went through {@link #transform} on loading, by internal name: not worth weaving ahead. */
  private final Set<String> loadedCandidates = ConcurrentHashMap.newKeySet();
  /** Weaves made ahead of loading, by internal name. */
  private final ConcurrentMap<String, WovenAhead> wovenAhead = new ConcurrentHashMap<>();
  /** Retransforms what {@link #weaving} collected; {@code null} in tests. */
  private final Instrumentation instrumentation;
  /** Weaves of earlier runs. */
  private final WeaveCache cache;
  /**
   * Class names of the class loaders whose classes are left as they are ({@code aicost.exclude-class-loaders}): an
   * application's plugin or sandbox loaders, or a second copy of a client kept unmetered for comparison.
   */
  private final Set<String> excludedLoaders;

  AgentTransformer(List<ModuleApplier> appliers, Instrumentation instrumentation) {
    this(appliers, instrumentation, WeaveCache.OFF, Collections.emptySet());
  }

  AgentTransformer(
      List<ModuleApplier> appliers, Instrumentation instrumentation, WeaveCache cache, Set<String> excludedLoaders) {
    this.appliers = appliers;
    this.instrumentation = instrumentation;
    this.cache = cache;
    this.excludedLoaders = excludedLoaders;
    for (ModuleApplier applier : appliers) {
      for (String jdkType : applier.module().jdkTypes()) {
        jdkNames.add(jdkType.replace('.', '/'));
      }
      for (String name : applier.module().typeNames()) {
        byName.computeIfAbsent(name.replace('.', '/'), k -> new ArrayList<>(1)).add(applier);
      }
      Set<String> annotations = applier.module().selectingAnnotations();
      if (!annotations.isEmpty()) {
        byAnnotation.add(applier);
        annotationNames.addAll(annotations);
      }
    }
    List<String> descriptors = new ArrayList<>();
    for (String annotation : annotationNames) {
      descriptors.add("L" + annotation.replace('.', '/') + ";");
    }
    this.annotationDescriptors = ClassFileConstants.utf8(descriptors);
  }

  /** Whether some module changes JDK classes (whose advice then calls the bootstrap bridge from {@code java.base}). */
  boolean changesJdkClasses() {
    return !jdkNames.isEmpty();
  }

  /** What could change a class of this internal name, loader and bytes; {@code null} (most classes) for nothing. */
  List<ModuleApplier> targets(ClassLoader loader, String internalName, byte[] classFile) {
    List<ModuleApplier> named = byName.get(internalName);
    if (named != null) {
      return excluded(loader) ? null : named;
    }
    if (byAnnotation.isEmpty() || loader == null || excluded(loader) || !annotationLibraryVisible(loader)) {
      return null;
    }
    return ClassFileConstants.mentionsAny(classFile, annotationDescriptors) ? byAnnotation : null;
  }

  /** Whether the user excluded this class loader (matched by its class's exact name; never the bootstrap loader). */
  private boolean excluded(ClassLoader loader) {
    return loader != null && !excludedLoaders.isEmpty() && excludedLoaders.contains(loader.getClass().getName());
  }

  private boolean annotationLibraryVisible(ClassLoader loader) {
    if (loader == AGENT_LOADER) {
      return false;
    }
    for (ModuleApplier applier : byAnnotation) {
      if (applier.hasLibrary(loader)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    if (internalName == null) {
      return null;
    }
    try {
      List<ModuleApplier> targets = targets(loader, internalName, classFile);
      if (targets == null) {
        return null;
      }
      if (weaving.get() != null) {
        // Loaded by the weaving of another class on this thread: changed once that weave is done.
        if (classBeingRedefined == null) {
          weaving.get().add(new Object[] {internalName.replace('/', '.'), loader});
        }
        return null;
      }
      if (classBeingRedefined == null) {
        loadedCandidates.add(internalName);
        WovenAhead ahead = wovenAhead.remove(internalName);
        if (ahead != null && ahead.loader == loader) {
          byte[][] result = ahead.result();
          if (result != null && Arrays.equals(result[0], classFile)) {
            return result[1];
          }
        }
      }
      return weaveGuarded(targets, loader, internalName.replace('/', '.'), classFile);
    } catch (Throwable t) {
      String name = internalName.replace('/', '.');
      AgentLog.warnOnce("transform:" + name, "could not instrument " + name + ": " + t);
      AgentLog.debug("transformation failure", t);
      return null;
    }
  }

  /** Weaves with this thread marked, then changes the candidates that the weaving itself caused to be loaded. */
  private byte[] weaveGuarded(List<ModuleApplier> targets, ClassLoader loader, String name, byte[] classFile) {
    List<Object[]> missed = new ArrayList<>(0);
    weaving.set(missed);
    try {
      return weave(targets, loader, name, classFile);
    } finally {
      weaving.remove();
      if (!missed.isEmpty() && instrumentation != null) {
        retransformMissed(missed);
      }
    }
  }

  private void retransformMissed(List<Object[]> missed) {
    Thread later =
        new Thread(
            () -> {
              for (Object[] m : missed) {
                try {
                  instrumentation.retransformClasses(Class.forName((String) m[0], false, (ClassLoader) m[1]));
                } catch (Throwable t) {
                  AgentLog.warnOnce("retransform:" + m[0], "could not instrument " + m[0] + ": " + t);
                }
              }
            },
            "aicost-retransform");
    later.setDaemon(true);
    later.start(); // after the class being defined now is complete
  }

  /**
   * Weaves, on the calling (background) thread, the candidates that the system class loader and the JDK will load,
   * from their class files, before anything loads them: the thread that then loads one finds the result ready, or
   * waits for the weave in progress, instead of weaving at that moment (the first weave is the slowest: Byte Buddy's
   * and ASM's code is cold). A result is used only for the same loader and the same class-file bytes.
   */
  void weaveAhead(ClassLoader system) {
    List<Map.Entry<String, List<ModuleApplier>>> order = new ArrayList<>(byName.entrySet());
    order.sort((a, b) -> Boolean.compare(!jdkNames.contains(a.getKey()), !jdkNames.contains(b.getKey()))); // JDK first
    for (Map.Entry<String, List<ModuleApplier>> e : order) {
      if (loadedCandidates.contains(e.getKey())) {
        continue;
      }
      String name = e.getKey().replace('/', '.');
      ClassLoader loader = jdkNames.contains(e.getKey()) ? null : system;
      if (loader != null && (excluded(loader) || !weavesAhead(e.getValue()))) {
        continue;
      }
      byte[] classFile;
      try {
        if (loader == null) {
          try (java.io.InputStream in = ClassLoader.getPlatformClassLoader().getResourceAsStream(e.getKey() + ".class")) {
            classFile = in == null ? null : in.readAllBytes();
          }
        } else {
          classFile = LibraryResources.read(loader, e.getKey() + ".class");
        }
        if (classFile == null) {
          continue; // not on this JDK, or not on the class path
        }
      } catch (Throwable t) {
        continue;
      }
      List<ModuleApplier> targets = e.getValue();
      WovenAhead ahead =
          new WovenAhead(loader, () -> new byte[][] {classFile, weaveGuarded(targets, loader, name, classFile)});
      if (wovenAhead.putIfAbsent(e.getKey(), ahead) == null) {
        ahead.task.run();
      }
    }
  }

  private static boolean weavesAhead(List<ModuleApplier> targets) {
    for (ModuleApplier applier : targets) {
      if (!applier.module().weavesAhead()) {
        return false;
      }
    }
    return true;
  }

  /** A weave made ahead of loading: the class file it was made from and the result ({@code null}: unchanged). */
  private static final class WovenAhead {
    final ClassLoader loader;
    final FutureTask<byte[][]> task;

    WovenAhead(ClassLoader loader, java.util.concurrent.Callable<byte[][]> weave) {
      this.loader = loader;
      this.task = new FutureTask<>(weave);
    }

    /** Runs the weave here if it has not started, else waits for it; {@code null} when it failed. */
    byte[][] result() {
      task.run();
      try {
        return task.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        return null;
      }
    }
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    return transform(null, loader, internalName, classBeingRedefined, protectionDomain, classFile);
  }

  /** What a module that names a class decided for it: stored in the weave cache and replayed from it. */
  static final byte NO_LIBRARY = 0;
  static final byte NOT_SELECTED = 1;
  static final byte NOT_APPLICABLE = 2;
  static final byte APPLIED = 3;

  private byte[] weave(List<ModuleApplier> targets, ClassLoader loader, String name, byte[] classFile) {
    long startNanos = System.nanoTime();
    String modules = cache.isOn() ? moduleNames(targets) : "";
    WeaveCache.Entry cached = cache.lookup(name, classFile);
    if (cached != null && cached.modules.equals(modules) && replays(cached.decisions, targets, loader, name)) {
      if (cached.woven != null) {
        AgentLog.debug("transformed " + name + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms (weave cache)");
      }
      return cached.woven;
    }
    ClassFileLocator locator =
        loader == null
            // A JDK class: its advice names the bridge, which the bootstrap loader holds as defined classes, not as
            // class files (BridgeDefiner); the agent's loader has those.
            ? new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, classFile),
                ClassFileLocator.ForClassLoader.ofBootLoader(),
                ClassFileLocator.ForClassLoader.of(AGENT_LOADER))
            : new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            TypePool.CacheProvider.Simple.withObjectType(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    DynamicType.Builder<?> builder = null;
    boolean changed = false;
    byte[] decisions = new byte[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      ModuleApplier applier = targets.get(i);
      if (!applier.hasLibrary(loader)) {
        decisions[i] = NO_LIBRARY;
        continue;
      }
      decisions[i] = NOT_SELECTED;
      for (InstrumentationModule.TypeInstrumentation instrumentation : applier.instrumentationsFor(name)) {
        if (!instrumentation.typeMatcher().matches(type)) {
          continue;
        }
        if (builder == null) {
          builder = Weaving.BYTE_BUDDY.decorate(type, locator);
        }
        DynamicType.Builder<?> woven = applier.apply(instrumentation, builder, type, loader);
        if (woven == null) {
          decisions[i] = NOT_APPLICABLE; // the module does not apply to this loader: none of its instrumentations
          break;
        }
        decisions[i] = APPLIED;
        builder = woven;
        changed |= !instrumentation.advice().isEmpty() || !instrumentation.visitors().isEmpty();
      }
    }
    byte[] result = changed ? builder.make(TypeResolutionStrategy.Passive.INSTANCE, pool).getBytes() : null;
    cache.store(name, classFile, modules, decisions, result);
    if (result != null) {
      AgentLog.debug("transformed " + name + " in " + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
    }
    return result;
  }

  /** The names of these modules, in order: an entry's decisions are theirs (another set of enabled modules: a miss). */
  private static String moduleNames(List<ModuleApplier> targets) {
    StringBuilder names = new StringBuilder();
    for (ModuleApplier applier : targets) {
      names.append(names.length() == 0 ? "" : ",").append(applier.module().name());
    }
    return names.toString();
  }

  /**
   * Whether the modules decide for this loader as they did when the cached weave was made, so that its result is
   * today's: the same library presence, and the same reference-check verdict (checked and helpers injected now, as a
   * weave would) for every module whose types matched. Which modules' type matchers select the class depends on its
   * bytes only, which the entry was made from.
   */
  private boolean replays(byte[] decisions, List<ModuleApplier> targets, ClassLoader loader, String name) {
    if (decisions.length != targets.size()) {
      return false;
    }
    for (int i = 0; i < decisions.length; i++) {
      ModuleApplier applier = targets.get(i);
      byte decided = decisions[i];
      if (decided == NOT_SELECTED) {
        continue; // not selected whether or not the library is there
      }
      boolean library = applier.hasLibrary(loader);
      if (decided == NO_LIBRARY) {
        if (library) {
          return false; // whether its types match is not known: weave
        }
        continue;
      }
      boolean applies = library && applier.prepare(loader);
      if (applies != (decided == APPLIED)) {
        return false;
      }
    }
    for (int i = 0; i < decisions.length; i++) {
      if (decisions[i] == APPLIED) {
        AgentLog.debug("instrumented " + name + " (" + targets.get(i).module().name() + ", weave cache)");
      }
    }
    return true;
  }

  /**
   * Retransforms the candidate classes that were loaded before this transformer was registered (the JDK classes of
   * the concurrency module; on runtime attach, the application's instrumented libraries too).
   */
  int retransformLoaded(Instrumentation instrumentation) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (isLoadedCandidate(c) && instrumentation.isModifiableClass(c)) {
        loaded.add(c);
        loadedCandidates.add(c.getName().replace('.', '/')); // nothing to weave ahead for it
      }
    }
    if (loaded.isEmpty()) {
      return 0;
    }
    try {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Throwable batch) {
      for (Class<?> c : loaded) { // find the one that failed; the others are still changed
        try {
          instrumentation.retransformClasses(c);
        } catch (Throwable t) {
          AgentLog.warnOnce("retransform:" + c.getName(), "could not instrument the loaded class " + c.getName() + ": " + t);
        }
      }
    }
    return loaded.size();
  }

  private boolean isLoadedCandidate(Class<?> c) {
    if (c.isArray() || c.isPrimitive() || excluded(c.getClassLoader())) {
      return false;
    }
    if (byName.containsKey(c.getName().replace('.', '/'))) {
      return true;
    }
    ClassLoader loader = c.getClassLoader();
    return !byAnnotation.isEmpty() && loader != null && annotationLibraryVisible(loader) && usesAnnotation(c);
  }

  /** The loaded-class form of the constant-pool check: the class or one of its methods carries an annotation. */
  private boolean usesAnnotation(Class<?> c) {
    try {
      if (hasAnnotation(c.getDeclaredAnnotations())) {
        return true;
      }
      for (Method m : c.getDeclaredMethods()) {
        if (hasAnnotation(m.getDeclaredAnnotations())) {
          return true;
        }
        for (Annotation[] parameter : m.getParameterAnnotations()) {
          if (hasAnnotation(parameter)) {
            return true;
          }
        }
      }
      return false;
    } catch (Throwable unreadable) { // a class whose signatures cannot be resolved is not one to weave
      return false;
    }
  }

  private boolean hasAnnotation(Annotation[] annotations) {
    for (Annotation a : annotations) {
      if (annotationNames.contains(a.annotationType().getName())) {
        return true;
      }
    }
    return false;
  }

  /** Whether a weave made ahead of loading waits for this class (tests). */
  boolean hasWovenAhead(String internalName) {
    return wovenAhead.containsKey(internalName);
  }

  /** The names of all types the modules name (for tests and diagnostics). */
  Set<String> namedTypes() {
    Set<String> names = new LinkedHashSet<>();
    for (String internal : byName.keySet()) {
      names.add(internal.replace('/', '.'));
    }
    return Collections.unmodifiableSet(names);
  }

  /** Byte Buddy's configuration, created with the first class to weave. */
  private static final class Weaving {
    /** Decorating only: no class-format change, so the same weave serves class loading and retransformation. */
    static final ByteBuddy BYTE_BUDDY =
        new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            // Advice only changes declared methods: never resolve the type's hierarchy to build its method graph.
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
  }
}
