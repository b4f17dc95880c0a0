package dev.aicost.javaagent.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Applies one {@link InstrumentationModule}: decides per class loader whether the library is there and compatible
 * (landmark classes, then the reference check), injects the helpers, and weaves the advice. Each decision is made
 * once per class loader and logged once.
 */
final class ModuleApplier {

  private static final Object UNSAFE = new Object();

  private final InstrumentationModule module;
  private final HelperInjector injector;
  private final ReferenceChecker checker;
  private final HelperInjector.ClassBytes helperBytes;
  private final ClassFileLocator agentClasses;
  /** Describes the advice classes; created with the module's first weave, so that premain loads none of it. */
  private volatile TypePool agentPool;
  /** The module's type instrumentations, built with its first weave ({@link #instrumentations}). */
  private volatile List<InstrumentationModule.TypeInstrumentation> instrumentations;
  private final Map<ClassLoader, Object> verdicts = Collections.synchronizedMap(new WeakHashMap<>());
  private final Map<ClassLoader, Boolean> landmarks = Collections.synchronizedMap(new WeakHashMap<>());
  private final ConcurrentMap<InstrumentationModule.MethodAdvice, AsmVisitorWrapper> woven = new ConcurrentHashMap<>();

  ModuleApplier(
      InstrumentationModule module,
      HelperInjector injector,
      HelperInjector.ClassBytes helperBytes,
      ClassFileLocator agentClasses) {
    this.module = module;
    this.injector = injector;
    this.helperBytes = helperBytes;
    this.checker = new ReferenceChecker(helperBytes);
    this.agentClasses = agentClasses;
  }

  InstrumentationModule module() {
    return module;
  }

  /** The module's type instrumentations, built once, on first use (a benign race: both builds are equal). */
  List<InstrumentationModule.TypeInstrumentation> instrumentations() {
    List<InstrumentationModule.TypeInstrumentation> built = instrumentations;
    if (built == null) {
      built = Collections.unmodifiableList(new ArrayList<>(module.typeInstrumentations()));
      instrumentations = built;
    }
    return built;
  }

  /** The advice classes of the module's instrumentations, each once: what the reference check reads besides helpers. */
  private List<String> adviceClasses() {
    List<String> advice = new ArrayList<>();
    for (InstrumentationModule.TypeInstrumentation t : instrumentations()) {
      for (InstrumentationModule.MethodAdvice a : t.advice()) {
        if (!advice.contains(a.adviceClass())) {
          advice.add(a.adviceClass());
        }
      }
    }
    return advice;
  }

  /** The type instrumentations that may change the type of this binary name (any, for annotation-selected types). */
  List<InstrumentationModule.TypeInstrumentation> instrumentationsFor(String typeName) {
    List<InstrumentationModule.TypeInstrumentation> selected = new ArrayList<>(1);
    for (InstrumentationModule.TypeInstrumentation t : instrumentations()) {
      if (t.typeNames() == null || t.typeNames().contains(typeName)) {
        selected.add(t);
      }
    }
    return selected;
  }

  /**
   * Cheap pre-check, evaluated for each candidate class: the landmark classes exist as resources (nothing is loaded).
   * Cached per class loader. Libraries we instrument never live on the bootstrap class path.
   */
  boolean hasLibrary(ClassLoader loader) {
    if (loader == null) {
      return !module.jdkTypes().isEmpty();
    }
    Object v = verdict(loader);
    if (v != null) {
      return v != UNSAFE;
    }
    Boolean present = landmarks.get(loader);
    if (present == null) {
      present = Boolean.TRUE;
      for (String landmark : module.landmarkClasses()) {
        if (LibraryResources.find(loader, landmark.replace('.', '/') + ".class") == null) {
          present = Boolean.FALSE;
          break;
        }
      }
      landmarks.put(loader, present);
    }
    return present;
  }

  private Object verdict(ClassLoader loader) {
    return verdicts.get(loader);
  }

  /** Checks references and injects helpers once per loader; returns whether the module may be applied. */
  boolean prepare(ClassLoader loader) {
    if (loader == null) {
      // The JDK: nothing to check or inject; the advice uses only the JDK and the bootstrap bridge.
      return !module.jdkTypes().isEmpty();
    }
    Object v = verdict(loader);
    if (v != null) {
      return v != UNSAFE;
    }
    synchronized (this) {
      v = verdict(loader);
      if (v != null) {
        return v != UNSAFE;
      }
      boolean ok;
      List<String> problems = checker.check(module, adviceClasses(), loader);
      if (!problems.isEmpty()) {
        AgentLog.warn(
            "instrumentation '"
                + module.name()
                + "' disabled for "
                + describe(loader)
                + ": this version of the library does not match what aicost supports ("
                + module.description()
                + "); the application runs unchanged. First mismatch: "
                + problems.get(0)
                + (problems.size() > 1 ? " (+" + (problems.size() - 1) + " more; -Daicost.debug=true lists them)" : ""));
        for (String p : problems) {
          AgentLog.debug("  " + module.name() + ": " + p);
        }
        ok = false;
      } else {
        try {
          injector.inject(loader, module.helperClasses(), helperBytes);
          module.onApplied(loader);
          ok = true;
          AgentLog.debug("instrumentation '" + module.name() + "' applies to " + describe(loader));
        } catch (Throwable t) {
          AgentLog.warn(
              "instrumentation '" + module.name() + "' disabled for " + describe(loader) + ": cannot inject helpers: " + t);
          ok = false;
        }
      }
      verdicts.put(loader, ok ? Boolean.TRUE : UNSAFE);
      return ok;
    }
  }

  private static String describe(ClassLoader loader) {
    return "class loader " + loader;
  }

  /**
   * Weaves one type instrumentation into {@code builder}, once the module's references were checked and its helpers
   * injected for {@code loader}; returns {@code null} when the module does not apply there.
   */
  DynamicType.Builder<?> apply(
      InstrumentationModule.TypeInstrumentation instrumentation,
      DynamicType.Builder<?> builder,
      TypeDescription type,
      ClassLoader loader) {
    if (!prepare(loader)) {
      return null;
    }
    DynamicType.Builder<?> result = builder;
    for (InstrumentationModule.MethodAdvice a : instrumentation.advice()) {
      result = result.visit(advice(a));
    }
    for (InstrumentationModule.VisitorFactory v : instrumentation.visitors()) {
      result = result.visit(v.make(agentPool()));
    }
    AgentLog.debug("instrumented " + type.getName() + " (" + module.name() + ")");
    return result;
  }

  private TypePool agentPool() {
    TypePool pool = agentPool;
    if (pool == null) {
      pool = TypePool.Default.of(agentClasses); // a benign race: both pools describe the same bytes
      agentPool = pool;
    }
    return pool;
  }

  /** The advice of {@code a}, read from the agent's class bytes once: {@code Advice} is immutable and reusable. */
  private AsmVisitorWrapper advice(InstrumentationModule.MethodAdvice a) {
    AsmVisitorWrapper advice = woven.get(a);
    if (advice == null) {
      @SuppressWarnings("unchecked")
      ElementMatcher<? super net.bytebuddy.description.method.MethodDescription> methods =
          (ElementMatcher<? super net.bytebuddy.description.method.MethodDescription>) a.methods();
      advice =
          module
              .customMapping()
              .to(agentPool().describe(a.adviceClass()).resolve(), agentClasses)
              .withAssigner(AdviceAssigner.INSTANCE)
              .on(methods);
      AsmVisitorWrapper raced = woven.putIfAbsent(a, advice);
      if (raced != null) {
        advice = raced;
      }
    }
    return advice;
  }
}
