package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.javaagent.instrumentation.genai.GenAiInstrumentationModule;
import dev.aicost.javaagent.instrumentation.bedrock.BedrockInstrumentationModule;
import dev.aicost.javaagent.instrumentation.openai.OpenAiInstrumentationModule;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

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
