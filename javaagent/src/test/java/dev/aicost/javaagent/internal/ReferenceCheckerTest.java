package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
