package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.javaagent.instrumentation.genai.GenAiInstrumentationModule;
import dev.aicost.javaagent.instrumentation.bedrock.BedrockInstrumentationModule;
import dev.aicost.javaagent.instrumentation.openai.OpenAiInstrumentationModule;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.TypeManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.StubMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceCheckerTest {

  private final ReferenceChecker checker =
      new ReferenceChecker(name -> {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
          return in.readAllBytes();
        }
      });

  private static final List<String> ADVICE =
      List.of("dev.aicost.javaagent.instrumentation.openai.OpenAiCreateAdvice");

  @Test
  void openAiModuleMatchesTheOpenAiJavaItWasCompiledAgainst() {
    assertThat(checker.check(new OpenAiInstrumentationModule(), ADVICE, getClass().getClassLoader())).isEmpty();
  }

  private static final List<String> GENAI_ADVICE =
      List.of(
          "dev.aicost.javaagent.instrumentation.genai.GenAiRequestAdvice",
          "dev.aicost.javaagent.instrumentation.genai.GenAiStreamNextAdvice",
          "dev.aicost.javaagent.instrumentation.genai.GenAiStreamHasNextAdvice",
          "dev.aicost.javaagent.instrumentation.genai.GenAiStreamReadCurrentAdvice",
          "dev.aicost.javaagent.instrumentation.genai.GenAiStreamHasMoreAdvice",
          "dev.aicost.javaagent.instrumentation.genai.GenAiStreamCloseAdvice");

  @Test
  void genAiModuleMatchesTheOldestSupportedGoogleGenAi() {
    // the module is compiled against google-genai 1.18.0, the oldest supported version, which is on this class path
    assertThat(checker.check(new GenAiInstrumentationModule(), GENAI_ADVICE, getClass().getClassLoader())).isEmpty();
  }

  @Test
  void aMissingInterceptionPointIsAMismatch() {
    InstrumentationModule genai = new GenAiInstrumentationModule();
    InstrumentationModule module =
        new InstrumentationModule("genai-test") {
          @Override
          public String description() {
            return genai.description();
          }

          @Override
          public List<String> landmarkClasses() {
            return genai.landmarkClasses();
          }

          @Override
          public List<String> helperClasses() {
            return genai.helperClasses();
          }

          @Override
          public List<String> requiredMethods() {
            return List.of("java.lang.String#noSuchMethod", "com.example.Missing#run", "java.lang.String#length");
          }

          @Override
          public java.util.Set<String> typeNames() {
            return genai.typeNames();
          }

          @Override
          public List<TypeInstrumentation> typeInstrumentations() {
            return genai.typeInstrumentations();
          }
        };
    assertThat(checker.check(module, GENAI_ADVICE, getClass().getClassLoader()))
        .containsExactly(
            "missing method java.lang.String#noSuchMethod (where calls are intercepted)",
            "missing class com.example.Missing");
  }

  @Test
  void bedrockModuleMatchesTheOldestSupportedSdkItWasCompiledAgainst() {
    List<String> advice = List.of(
        "dev.aicost.javaagent.instrumentation.bedrock.BedrockClientBuilderAdvice",
        "dev.aicost.javaagent.instrumentation.bedrock.BedrockAsyncAdvice",
        "dev.aicost.javaagent.instrumentation.bedrock.BedrockStreamAdvice");
    assertThat(checker.check(new BedrockInstrumentationModule(), advice, getClass().getClassLoader())).isEmpty();
  }

  @Test
  void aLoaderWithoutTheLibraryIsReportedClassByClass() {
    List<String> problems =
        checker.check(new OpenAiInstrumentationModule(), ADVICE, ClassLoader.getPlatformClassLoader());
    assertThat(problems).contains("missing class com.openai.models.chat.completions.ChatCompletion");
    assertThat(problems).allMatch(p -> p.startsWith("missing class com.openai."));
  }

  /** A module whose helper extends and calls the library in {@code refcheck.lib} (version 1, on the test class path). */
  private static InstrumentationModule libraryModule() {
    return new InstrumentationModule("refcheck") {
      @Override
      public String description() {
        return "refcheck.lib 1";
      }

      @Override
      public List<String> landmarkClasses() {
        return List.of("refcheck.lib.Impl");
      }

      @Override
      public List<String> helperClasses() {
        return List.of("refcheck.helper.LibraryHelper");
      }

      @Override
      public List<String> requiredMethods() {
        return List.of("refcheck.lib.Impl#legacy");
      }

      @Override
      public java.util.Set<String> typeNames() {
        return java.util.Set.of();
      }

      @Override
      public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
      }
    };
  }

  @Test
  void aHelperMatchesTheLibraryVersionItWasCompiledAgainst() {
    assertThat(checker.check(libraryModule(), List.of(), getClass().getClassLoader())).isEmpty();
  }

  @Test
  void aLibraryVersionThatChangedWhatTheHelperUsesIsReportedMemberByMember(@TempDir Path dir) throws Exception {
    // Version 2: Base lost its field and gained an abstract method, Impl lost legacy() and keeps name() from Base.
    DynamicType.Unloaded<?> api =
        new ByteBuddy()
            .makeInterface()
            .name("refcheck.lib.Api")
            .defineMethod("run", void.class, Visibility.PUBLIC)
            .withoutCode()
            .make();
    DynamicType.Unloaded<?> base =
        new ByteBuddy()
            .subclass(Object.class)
            .name("refcheck.lib.Base")
            .modifiers(Visibility.PUBLIC, TypeManifestation.ABSTRACT)
            .defineMethod("name", String.class, Visibility.PUBLIC)
            .withoutCode()
            .defineMethod("extra", String.class, Visibility.PUBLIC)
            .withoutCode()
            .make();
    DynamicType.Unloaded<?> impl =
        new ByteBuddy()
            .subclass(base.getTypeDescription(), ConstructorStrategy.Default.NO_CONSTRUCTORS)
            .implement(api.getTypeDescription())
            .name("refcheck.lib.Impl")
            .defineMethod("run", void.class, Visibility.PUBLIC)
            .intercept(StubMethod.INSTANCE)
            .make();
    for (DynamicType.Unloaded<?> type : List.of(api, base, impl)) {
      type.saveIn(dir.toFile());
    }
    try (URLClassLoader version2 =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      assertThat(checker.check(libraryModule(), List.of(), version2))
          .containsExactlyInAnyOrder(
              "missing field refcheck.lib.Impl#count:I",
              "missing method refcheck.lib.Impl#legacy()Ljava/lang/String;",
              "helper refcheck.helper.LibraryHelper does not implement extra()Ljava/lang/String;"
                  + " of the library's types",
              "missing method refcheck.lib.Impl#legacy (where calls are intercepted)");
    }
    assertThat(checker.check(libraryModule(), List.of(), ClassLoader.getPlatformClassLoader()))
        .contains(
            "missing class refcheck.lib.Base", "missing class refcheck.lib.Api", "missing class refcheck.lib.Impl");
  }

  @Test
  void agentArgumentsArePrefixedAndValidated() {
    assertThat(AgentInstaller.parseArgs("ledger.path=/tmp/l.jsonl, aicost.console.enabled=true"))
        .containsEntry("aicost.ledger.path", "/tmp/l.jsonl")
        .containsEntry("aicost.console.enabled", "true");
    assertThat(AgentInstaller.parseArgs(null)).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentInstaller.parseArgs("oops"))
        .hasMessageContaining("expected key=value pairs separated by commas");
  }
}
