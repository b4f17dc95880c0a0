package dev.aicost.javaagent.internal;

import dev.aicost.bootstrap.AiCallBridge;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.bootstrap.AiCallSink;
import dev.aicost.bootstrap.AiCallStart;
import dev.aicost.exporters.AiCostPipeline;
import dev.aicost.javaagent.instrumentation.anthropic.AnthropicInstrumentationModule;
import dev.aicost.javaagent.instrumentation.bedrock.BedrockInstrumentationModule;
import dev.aicost.javaagent.instrumentation.concurrent.ConcurrencyInstrumentationModule;
import dev.aicost.javaagent.instrumentation.costcenter.CostCenterInstrumentationModule;
import dev.aicost.javaagent.instrumentation.genai.GenAiInstrumentationModule;
import dev.aicost.javaagent.instrumentation.openai.OpenAiInstrumentationModule;
import dev.aicost.javaagent.instrumentation.otelapi.OpenTelemetryApiInstrumentationModule;
import dev.aicost.javaagent.instrumentation.reactor.ReactorInstrumentationModule;
import dev.aicost.sdk.AiCostSettings;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.dispatcher.JavaDispatcher;

/**
 * Installs the agent: the recording pipeline (built on a background thread so that start-up stays fast), the
 * instrumentation modules, and the shutdown hook that flushes the ledger and the exporters. Loaded by the
 * agent's isolated class loader; called reflectively by {@code AiCostAgent}.
 */
public final class AgentInstaller {

  private AgentInstaller() {}

  /** Every instrumentation the agent ships, in the order they are registered. */
  static List<InstrumentationModule> modules() {
    return Arrays.asList(
        new CostCenterInstrumentationModule(),
        new OpenAiInstrumentationModule(),
        new ConcurrencyInstrumentationModule(),
        new ReactorInstrumentationModule(),
        new OpenTelemetryApiInstrumentationModule(),
        new AnthropicInstrumentationModule(),
        new GenAiInstrumentationModule(),
        new BedrockInstrumentationModule());
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  public static void install(Instrumentation instrumentation, String args, boolean premain, File agentJar)
      throws Exception {
    long startNanos = System.nanoTime();
    AiCostSettings settings = AiCostSettings.fromSystem().withOverrides(parseArgs(args));
    AgentLog.setDebug(settings.getBoolean("aicost.debug", false));
    // Set before any Byte Buddy class initializes; both names are relocated with Byte Buddy, so they only concern
    // the agent's private copy. Byte Buddy's own class injection is not used (HelperInjector injects the helpers):
    // keep it from probing sun.misc.Unsafe, which JDK 24+ reports with warnings. Byte Buddy reaches the JDK's newer
    // APIs through dispatchers, by default java.lang.reflect.Proxy classes, for which the JDK computes stack-map
    // frames with its own ASM: enough calls for C2 to compile that code at start-up (~0.3-0.5 s). Generated, they
    // are plain classes written without frame computation (docs/performance.md#start-up).
    setIfAbsent(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    setIfAbsent(JavaDispatcher.GENERATE_PROPERTY, "true");
    warnIfBridgeLoadedElsewhere(instrumentation);

    PipelineStarter pipeline = new PipelineStarter(settings);
    AiCallBridge.install(pipeline);
    Thread init = new Thread(pipeline, "aicost-init");
    init.setDaemon(true);
    Runtime.getRuntime().addShutdownHook(new Thread(pipeline::shutdown, "aicost-shutdown"));

    ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
    List<ModuleApplier> appliers = new java.util.ArrayList<>();
    WeaveCache cache;
    AgentTransformer transformer;
    try {
      HelperInjector.ClassBytes bytes = className -> classBytes(agentLoader, className);
      HelperInjector injector = new HelperInjector(instrumentation, bytes);
      ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(agentLoader);
      for (InstrumentationModule module : enabledModules(settings)) {
        HelperInjector.ClassBytes helperBytes =
            module.helpersUseApplicationOpenTelemetry() ? ApplicationOpenTelemetry.unshading(bytes) : bytes;
        appliers.add(new ModuleApplier(module, injector, helperBytes, agentClasses));
      }
      cache = WeaveCache.open(settings, WeaveCache.buildId(agentLoader));
      transformer = new AgentTransformer(appliers, instrumentation, cache, excludedClassLoaders(settings));
      if (transformer.changesJdkClasses()) {
        // Advice inlined into java.base calls the bootstrap bridge, which lives in the boot loader's unnamed module.
        instrumentation.redefineModule(
            Object.class.getModule(),
            java.util.Collections.singleton(dev.aicost.bootstrap.AttributionContext.class.getModule()),
            java.util.Collections.emptyMap(),
            java.util.Collections.emptyMap(),
            java.util.Collections.emptySet(),
            java.util.Collections.emptyMap());
      }
      instrumentation.addTransformer(transformer, true);
    } finally {
      // Started once the transformer is in place: the JDK classes the pipeline loads (fork/join, executors) are then
      // woven from their class files as they load, not retransformed from the JVM's reconstituted bytes, which differ
      // from the files' and would need weave cache entries of their own. Started even if the above failed: calls and
      // the shutdown hook wait for the pipeline.
      init.start();
    }
    if (premain) {
      // Off the start-up path: what is already loaded at premain are JDK classes (virtual threads, fork/join) whose
      // advice concerns tasks created from then on. Classes loaded meanwhile are woven as they load, by the thread
      // loading them.
      Thread t =
          new Thread(
              () -> {
                retransformLoaded(transformer, instrumentation);
                long aheadNanos = System.nanoTime();
                transformer.weaveAhead(ClassLoader.getSystemClassLoader());
                AgentLog.debug("classes woven ahead of loading in " + millisSince(aheadNanos) + " ms");
                cache.prune();
              },
              "aicost-install");
      t.setDaemon(true);
      t.start();
    } else {
      // On attach the application is running: its loaded libraries are changed before attach returns.
      retransformLoaded(transformer, instrumentation);
    }
    AgentLog.debug(
        "installed " + appliers.size() + " instrumentations (" + (premain ? "premain" : "attach") + ") from " + agentJar
            + " in " + millisSince(startNanos) + " ms");
  }

  private static void retransformLoaded(AgentTransformer transformer, Instrumentation instrumentation) {
    long startNanos = System.nanoTime();
    int retransformed = transformer.retransformLoaded(instrumentation);
    AgentLog.debug(retransformed + " classes loaded before the agent retransformed in " + millisSince(startNanos) + " ms");
  }

  /** The modules that are not turned off by {@code aicost.instrumentation.<name>.enabled=false}. */
  static List<InstrumentationModule> enabledModules(AiCostSettings settings) {
    return enabledModules(settings, AotCacheTraining.isThisJvm());
  }

  /** @param aotCacheTraining whether this JVM trains or assembles a JDK ahead-of-time cache ({@link AotCacheTraining}) */
  static List<InstrumentationModule> enabledModules(AiCostSettings settings, boolean aotCacheTraining) {
    List<InstrumentationModule> enabled = new java.util.ArrayList<>();
    for (InstrumentationModule module : modules()) {
      String key = "aicost.instrumentation." + module.name() + ".enabled";
      if (!settings.getBoolean(key, true)) {
        AgentLog.info("instrumentation '" + module.name() + "' disabled by " + key + "=false");
        continue;
      }
      if (aotCacheTraining && !module.jdkTypes().isEmpty()) {
        AgentLog.info(
            "instrumentation '" + module.name() + "' left off while this JVM builds an ahead-of-time cache (the JVM"
                + " cannot archive changed JDK classes); runs from the cache instrument them");
        continue;
      }
      enabled.add(module);
    }
    return enabled;
  }

  /** {@code aicost.exclude-class-loaders}: class names of the loaders whose classes the agent never changes. */
  static java.util.Set<String> excludedClassLoaders(AiCostSettings settings) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>(settings.getList("aicost.exclude-class-loaders"));
    if (!names.isEmpty()) {
      AgentLog.debug("classes of these class loaders are left unchanged: " + names);
    }
    return names;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** Reads an agent class's bytes through its loader (which maps {@code .class} to the jar's {@code .classdata}). */
  static byte[] classBytes(ClassLoader loader, String className) throws java.io.IOException {
    try (java.io.InputStream in = loader.getResourceAsStream(className.replace('.', '/') + ".class")) {
      if (in == null) {
        throw new java.io.IOException("no class " + className + " in the agent");
      }
      return in.readAllBytes();
    }
  }

  /** Agent arguments: {@code key=value} pairs separated by commas; {@code ledger.path} means {@code aicost.ledger.path}. */
  static Map<String, String> parseArgs(String args) {
    Map<String, String> map = new LinkedHashMap<>();
    if (args == null || args.trim().isEmpty()) {
      return map;
    }
    for (String pair : args.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "invalid agent argument '" + pair + "': expected key=value pairs separated by commas");
      }
      String key = pair.substring(0, eq).trim();
      map.put(key.startsWith("aicost.") ? key : "aicost." + key, pair.substring(eq + 1).trim());
    }
    return map;
  }

  /** On runtime attach, an application that already loaded the SDK has its own copy of the bridge. */
  private static void warnIfBridgeLoadedElsewhere(Instrumentation instrumentation) {
    for (Class<?> c : instrumentation.getAllLoadedClasses()) {
      if (c.getName().equals(AiCallBridge.class.getName()) && c != AiCallBridge.class) {
        AgentLog.warn(
            "the aicost SDK was loaded by "
                + c.getClassLoader()
                + " before the agent attached; scopes opened through that copy are not seen by the agent");
      }
    }
  }

  /**
   * Builds the recording pipeline off the start-up path. Calls that start before it is ready wait for it (up to
   * {@code aicost.startup.wait-ms}); after that they are not recorded rather than delaying the application.
   */
  static final class PipelineStarter implements AiCallSink, Runnable {
    private final AiCostSettings settings;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final long waitMillis;
    private volatile AiCostPipeline pipeline;

    PipelineStarter(AiCostSettings settings) {
      this.settings = settings;
      long wait;
      try {
        wait = settings.getInt("aicost.startup.wait-ms", 10_000, 0, 600_000);
      } catch (IllegalArgumentException e) {
        AgentLog.warn(e.getMessage() + "; using 10000");
        wait = 10_000;
      }
      this.waitMillis = wait;
    }

    @Override
    public void run() {
      long startNanos = System.nanoTime();
      try {
        AiCostPipeline p = AiCostPipeline.create(settings);
        for (String problem : p.pricingProblems()) {
          AgentLog.warn(problem);
        }
        for (String note : p.pricingNotes()) {
          AgentLog.debug(note);
        }
        pipeline = p;
        AiCallBridge.install(p.recorder());
        AgentLog.debug("recording pipeline ready in " + millisSince(startNanos) + " ms");
      } catch (Throwable t) {
        AiCallBridge.uninstall(this);
        AgentLog.warn("cannot start recording, AI calls will not be metered: " + t.getMessage());
        AgentLog.debug("pipeline start failure", t);
      } finally {
        ready.countDown();
      }
    }

    @Override
    public AiCallHandle start(AiCallStart start) {
      try {
        long waitStart = System.nanoTime();
        if (!ready.await(waitMillis, TimeUnit.MILLISECONDS)) {
          AgentLog.warnOnce("startup-wait", "recording not ready after " + waitMillis + " ms; a call was not metered");
          return AiCallHandle.NOOP;
        }
        AgentLog.debug("an AI call waited " + millisSince(waitStart) + " ms for the recording pipeline");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return AiCallHandle.NOOP;
      }
      AiCostPipeline p = pipeline;
      return p == null ? AiCallHandle.NOOP : p.recorder().start(start);
    }

    @Override
    public void taskStarted(dev.aicost.bootstrap.TaskRun run) {
      AiCostPipeline p = pipeline;
      if (p != null) {
        p.recorder().taskStarted(run); // not ready yet: the task gets no span, but is still recorded at its end
      }
    }

    @Override
    public void taskEnded(dev.aicost.bootstrap.TaskRun run) {
      try {
        if (!ready.await(waitMillis, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      AiCostPipeline p = pipeline;
      if (p != null) {
        p.recorder().taskEnded(run);
      }
    }

    void shutdown() {
      try {
        long startNanos = System.nanoTime();
        ready.await(5, TimeUnit.SECONDS);
        AiCostPipeline p = pipeline;
        if (p != null) {
          p.close();
        }
        AgentLog.debug("flushed at shutdown in " + millisSince(startNanos) + " ms");
      } catch (Throwable t) {
        AgentLog.warn("error while flushing at shutdown: " + t);
      }
    }
  }
}
