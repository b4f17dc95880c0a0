package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class AgentInternalsTest {

  private static AgentTransformer transformerOfAllModules() {
    return transformerOf(AgentInstaller.modules());
  }

  private static AgentTransformer transformerOfConcurrency() {
    return transformerOf(List.of(new dev.aicost.javaagent.instrumentation.concurrent.ConcurrencyInstrumentationModule()));
  }

  /** A transformer of these modules, reading advice and helpers from the test class path; no helper injection. */
  private static AgentTransformer transformerOf(List<InstrumentationModule> modules) {
    return transformerOf(modules, java.util.Set.of());
  }

  private static AgentTransformer transformerOf(List<InstrumentationModule> modules, java.util.Set<String> excludedLoaders) {
    ClassLoader agent = AgentInternalsTest.class.getClassLoader();
    HelperInjector.ClassBytes bytes = name -> AgentInstaller.classBytes(agent, name);
    List<ModuleApplier> appliers = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      appliers.add(new ModuleApplier(module, null, bytes, ClassFileLocator.ForClassLoader.of(agent)));
    }
    return new AgentTransformer(appliers, null, WeaveCache.OFF, excludedLoaders);
  }

  private static byte[] classFile(Class<?> c) throws Exception {
    try (InputStream in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void onlyTheNamedTypesAndAnnotatedClassesAreCandidates() throws Exception {
    AgentTransformer transformer = transformerOfAllModules();
    ClassLoader app = getClass().getClassLoader(); // sees the aicost SDK
    byte[] plain = classFile(AgentInternalsTest.class);
    assertThat(transformer.targets(null, "java/util/concurrent/ForkJoinTask", plain)).isNotNull();
    assertThat(transformer.targets(null, "java/util/concurrent/FutureTask", plain)).isNull();
    assertThat(transformer.targets(app, "com/openai/services/blocking/chat/ChatCompletionServiceImpl$WithRawResponseImpl", plain)).isNotNull();
    assertThat(transformer.targets(app, "com/openai/services/blocking/chat/Unrelated", plain)).isNull();
    assertThat(transformer.targets(app, "dev/aicost/javaagent/internal/AgentInternalsTest", plain)).isNull();
    // @CostCenter is recognised from the class file's constant pool, in loaders that can see the SDK only.
    byte[] annotated = classFile(AnnotatedCostCenter.class);
    assertThat(transformer.targets(app, "x/Annotated", annotated)).isNotNull();
    assertThat(transformer.targets(app, "x/Parameter", classFile(AnnotatedParameter.class))).isNotNull();
    assertThat(transformer.targets(null, "x/Annotated", annotated)).isNull();
    assertThat(transformer.targets(new ClassLoader(null) {}, "x/Annotated", annotated)).isNull();
    assertThat(transformer.namedTypes())
        .contains("java.util.concurrent.ThreadPoolExecutor", "com.openai.services.blocking.chat.ChatCompletionServiceImpl$WithRawResponseImpl");
  }

  /** A loader class of its own, for {@code aicost.exclude-class-loaders}. */
  static final class ExcludedLoader extends ClassLoader {
    ExcludedLoader(ClassLoader parent) {
      super(parent);
    }
  }

  @Test
  void classesOfAnExcludedLoaderAreNoCandidates() throws Exception {
    AgentTransformer transformer =
        transformerOf(AgentInstaller.modules(), java.util.Set.of(ExcludedLoader.class.getName()));
    ClassLoader app = getClass().getClassLoader();
    ClassLoader excluded = new ExcludedLoader(app); // sees the SDK through its parent
    String chat = "com/openai/services/blocking/chat/ChatCompletionServiceImpl$WithRawResponseImpl";
    byte[] plain = classFile(AgentInternalsTest.class);
    byte[] annotated = classFile(AnnotatedCostCenter.class);
    assertThat(transformer.targets(excluded, chat, plain)).isNull();
    assertThat(transformer.targets(excluded, "x/Annotated", annotated)).isNull();
    assertThat(transformer.transform(null, excluded, chat, null, null, plain)).isNull();
    // Other loaders, the system one and the JDK's are unaffected.
    assertThat(transformer.targets(app, chat, plain)).isNotNull();
    assertThat(transformer.targets(app, "x/Annotated", annotated)).isNotNull();
    assertThat(transformer.targets(new ClassLoader(app) {}, chat, plain)).isNotNull();
    assertThat(transformer.targets(null, "java/util/concurrent/ForkJoinTask", plain)).isNotNull();
  }

  @Test
  void theExcludedLoadersAreReadFromTheSettings() {
    assertThat(AgentInstaller.excludedClassLoaders(dev.aicost.sdk.AiCostSettings.of(java.util.Map.of())))
        .isEmpty();
    assertThat(
            AgentInstaller.excludedClassLoaders(
                dev.aicost.sdk.AiCostSettings.of(
                    java.util.Map.of("aicost.exclude-class-loaders", " a.B , c.D$E,,"))))
        .containsExactly("a.B", "c.D$E");
  }

  @Test
  void aClassThatIsNoCandidateNeverReachesByteBuddy() throws Exception {
    // A class file Byte Buddy could not parse: passed through untouched because neither its name nor its constants
    // make it a candidate, and no exception escapes the transformer for candidates either.
    AgentTransformer transformer = transformerOfAllModules();
    byte[] garbage = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 55, 0, 1};
    assertThat(transformer.transform(null, getClass().getClassLoader(), "com/example/App", null, null, garbage)).isNull();
    assertThat(transformer.transform(null, null, "java/util/concurrent/ForkJoinTask", null, null, garbage)).isNull();
  }

  @Test
  void jdkClassesAreWovenAheadAndTheResultServesTheSameClassFileOnly() throws Exception {
    AgentTransformer transformer = transformerOfConcurrency();
    String forkJoinTask = "java/util/concurrent/ForkJoinTask";
    transformer.weaveAhead(ClassLoader.getSystemClassLoader());
    assertThat(transformer.hasWovenAhead(forkJoinTask)).isTrue();

    byte[] original = ClassFileLocator.ForClassLoader.ofBootLoader().locate(forkJoinTask.replace('/', '.')).resolve();
    byte[] woven = transformer.transform(null, null, forkJoinTask, null, null, original);
    assertThat(transformer.hasWovenAhead(forkJoinTask)).isFalse(); // used once, then gone
    assertThat(woven).isNotNull().isNotEqualTo(original);
    assertThat(ClassFileConstants.mentionsAny(woven, ClassFileConstants.utf8(List.of("dev/aicost/bootstrap/TaskAttributions"))))
        .as("the advice calls the bootstrap bridge")
        .isTrue();
    // Woven again on loading (as by another class loader's copy): the same result.
    assertThat(transformer.transform(null, null, forkJoinTask, null, null, original)).isEqualTo(woven);

    // A result made from other bytes (as when another agent changed the class first) is not used: these are woven.
    AgentTransformer second = transformerOfConcurrency();
    second.weaveAhead(ClassLoader.getSystemClassLoader());
    ClassWriter writer = new ClassWriter(0);
    new ClassReader(original).accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visitEnd() {
        visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "changedByAnotherAgent", "I", null, null).visitEnd();
        super.visitEnd();
      }
    }, 0);
    byte[] changed = writer.toByteArray();
    byte[] wovenChanged = second.transform(null, null, forkJoinTask, null, null, changed);
    assertThat(second.hasWovenAhead(forkJoinTask)).isFalse();
    assertThat(wovenChanged).isNotNull().isNotEqualTo(woven);
    assertThat(ClassFileConstants.mentionsAny(wovenChanged, ClassFileConstants.utf8(List.of("changedByAnotherAgent"))))
        .isTrue();
  }

  @Test
  void thePoolWorkerLoopRunsEachTaskThroughTheBridgeAndNothingElseChanges() throws Exception {
    AgentTransformer transformer = transformerOfConcurrency();
    String pool = "java/util/concurrent/ThreadPoolExecutor";
    byte[] original = ClassFileLocator.ForClassLoader.ofBootLoader().locate(pool.replace('/', '.')).resolve();
    byte[] woven = transformer.transform(null, null, pool, null, null, original);
    assertThat(woven).isNotNull();

    List<String> before = calls(original, "runWorker");
    List<String> after = calls(woven, "runWorker");
    assertThat(before).contains("INTERFACE java/lang/Runnable.run()V");
    assertThat(after)
        .doesNotContain("INTERFACE java/lang/Runnable.run()V")
        .contains("STATIC dev/aicost/bootstrap/TaskAttributions.run(Ljava/lang/Runnable;)V");
    // Every other call of the worker loop is where it was.
    List<String> expected = new ArrayList<>(before);
    expected.replaceAll(
        c -> c.equals("INTERFACE java/lang/Runnable.run()V") ? "STATIC dev/aicost/bootstrap/TaskAttributions.run(Ljava/lang/Runnable;)V" : c);
    assertThat(after).isEqualTo(expected);
    // Methods other than the worker loop keep their calls to Runnable.run (none is rewritten).
    assertThat(calls(woven, "execute")).doesNotContain("STATIC dev/aicost/bootstrap/TaskAttributions.run(Ljava/lang/Runnable;)V");
  }

  /** The method calls in {@code method} of a class file, in order, as {@code KIND owner.name descriptor}. */
  private static List<String> calls(byte[] classFile, String method) {
    List<String> calls = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        if (!name.equals(method)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean isInterface) {
            String kind = opcode == Opcodes.INVOKEINTERFACE ? "INTERFACE" : opcode == Opcodes.INVOKESTATIC ? "STATIC" : "VIRTUAL";
            calls.add(kind + " " + owner + "." + n + d);
          }
        };
      }
    }, 0);
    return calls;
  }

  @Test
  void theConstantPoolWalkFindsEveryUtf8ConstantAndNothingElse() throws Exception {
    // Every class of java.base and of Byte Buddy: each of its UTF-8 constants is found (so the walk steps over every
    // kind of constant, two-slot longs and doubles included, to the end of the pool), and a string it lacks is not.
    byte[][] absent = ClassFileConstants.utf8(List.of("Ldev/aicost/absent/Annotation;"));
    int classes = 0;
    int constants = 0;
    for (byte[] file : sampleClassFiles()) {
      ClassReader reader = new ClassReader(file);
      for (int i = 1; i < reader.getItemCount(); i++) {
        int offset = reader.getItem(i); // just after the tag
        if (offset > 0 && file[offset - 1] == 1) {
          int length = ((file[offset] & 0xFF) << 8) | (file[offset + 1] & 0xFF);
          String utf8 = new String(file, offset + 2, length, java.nio.charset.StandardCharsets.ISO_8859_1);
          if (utf8.chars().allMatch(ch -> ch > 0 && ch < 0x80)) {
            assertThat(ClassFileConstants.mentionsAny(file, ClassFileConstants.utf8(List.of(utf8))))
                .as("constant %s of class %s", utf8, reader.getClassName())
                .isTrue();
            constants++;
          }
        }
      }
      assertThat(ClassFileConstants.mentionsAny(file, absent)).as(reader.getClassName()).isFalse();
      classes++;
    }
    assertThat(classes).isGreaterThan(3000);
    assertThat(constants).isGreaterThan(100_000);
    assertThat(ClassFileConstants.mentionsAny(new byte[] {1, 2, 3}, absent)).isTrue(); // unreadable: let Byte Buddy decide
  }

  private static List<byte[]> sampleClassFiles() throws Exception {
    List<byte[]> files = new ArrayList<>();
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (Stream<Path> paths = Files.walk(jrt.getPath("/modules/java.base/java"))) {
      for (Path p : (Iterable<Path>) paths.filter(x -> x.toString().endsWith(".class"))::iterator) {
        files.add(Files.readAllBytes(p));
      }
    }
    Path byteBuddy = Paths.get(ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (ZipFile zip = new ZipFile(byteBuddy.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
          try (InputStream in = zip.getInputStream(e)) {
            files.add(in.readAllBytes());
          }
        }
      }
    }
    return files;
  }

  @dev.aicost.sdk.CostCenter(team = "t")
  static final class AnnotatedCostCenter {}

  static final class AnnotatedParameter {
    void call(@dev.aicost.sdk.CostAttribute("customer") String customer) {}
  }

  @Test
  void helpersAreMappedFromTheAgentsOpenTelemetryToTheApplications() {
    // A class that references OpenTelemetry under a stand-in agent package, as the shaded jar does.
    String agentPackage = ApplicationOpenTelemetry.AGENT_PACKAGE;
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "x/Helper", null, "java/lang/Object", null);
    MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "span", "()V", null, null);
    m.visitCode();
    m.visitMethodInsn(Opcodes.INVOKESTATIC, agentPackage + "api/trace/Span", "current", "()L" + agentPackage + "api/trace/Span;", true);
    m.visitInsn(Opcodes.POP);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(1, 0);
    m.visitEnd();
    w.visitEnd();
    byte[] remapped = ApplicationOpenTelemetry.remap(w.toByteArray());
    StringBuilder owners = new StringBuilder();
    new ClassReader(remapped).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            owners.append(owner).append(' ').append(d);
          }
        };
      }
    }, 0);
    assertThat(owners.toString())
        .isEqualTo(ApplicationOpenTelemetry.APPLICATION_PACKAGE + "api/trace/Span ()L" + ApplicationOpenTelemetry.APPLICATION_PACKAGE + "api/trace/Span;");
    assertThat(ApplicationOpenTelemetry.APPLICATION_PACKAGE).isEqualTo("io/opentelemetry/");
  }

  @Test
  void everyModuleDeclaresExactlyTheTypesAndAnnotationsItsInstrumentationsSelect() {
    for (InstrumentationModule m : AgentInstaller.modules()) {
      List<InstrumentationModule.TypeInstrumentation> built = m.typeInstrumentations();
      assertThat(m.typeNames()).as(m.name()).isEqualTo(namesOf(built));
      assertThat(m.selectingAnnotations()).as(m.name()).isEqualTo(annotationsOf(built));
    }
  }

  @Test
  void installingTheTransformerBuildsNoMatcherOrAdvice() throws Exception {
    int[] built = {0};
    InstrumentationModule counting =
        new InstrumentationModule("counting") {
          @Override
          public String description() {
            return "a test module";
          }

          @Override
          public List<String> landmarkClasses() {
            return List.of();
          }

          @Override
          public java.util.Set<String> typeNames() {
            return java.util.Set.of("x.Selected");
          }

          @Override
          public List<TypeInstrumentation> typeInstrumentations() {
            built[0]++;
            return List.of(new TypeInstrumentation(List.of("x.Selected"), List.of()));
          }
        };
    AgentTransformer transformer = transformerOf(List.of(counting));
    byte[] plain = classFile(AgentInternalsTest.class);
    assertThat(transformer.targets(getClass().getClassLoader(), "x/Selected", plain)).isNotNull();
    assertThat(transformer.namedTypes()).containsExactly("x.Selected");
    assertThat(built[0]).as("built at installation or selection").isZero();
  }

  /** The type names these instrumentations name. */
  private static java.util.Set<String> namesOf(List<InstrumentationModule.TypeInstrumentation> instrumentations) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (InstrumentationModule.TypeInstrumentation t : instrumentations) {
      if (t.typeNames() != null) {
        names.addAll(t.typeNames());
      }
    }
    return names;
  }

  /** The annotations that select types for these instrumentations. */
  private static java.util.Set<String> annotationsOf(List<InstrumentationModule.TypeInstrumentation> instrumentations) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (InstrumentationModule.TypeInstrumentation t : instrumentations) {
      names.addAll(t.annotationNames());
    }
    return names;
  }
}
