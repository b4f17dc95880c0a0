package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The names users switch instrumentations off by ({@code aicost.instrumentation.<name>.enabled}) are documented where
 * they look for them: a module added without its name in the README and the configuration reference is a setting
 * nobody can find (the README's list once lacked {@code bedrock}).
 */
class DocumentedInstrumentationsTest {

  private static final Path PROJECT = Path.of("..");

  private static List<String> moduleNames() {
    return AgentInstaller.modules().stream().map(InstrumentationModule::name).collect(Collectors.toList());
  }

  @Test
  void theReadmeNamesEveryInstrumentationTheAgentShips() throws Exception {
    String row =
        Files.readAllLines(PROJECT.resolve("README.md")).stream()
            .filter(line -> line.contains("aicost.instrumentation.<name>.enabled"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("README.md has no aicost.instrumentation.<name>.enabled row"));
    for (String name : moduleNames()) {
      assertThat(row).as("README.md's instrumentation names").contains("`" + name + "`");
    }
  }

  @Test
  void theConfigurationReferenceHasASettingForEveryInstrumentation() throws Exception {
    String reference = Files.readString(PROJECT.resolve("docs/configuration.md"));
    for (String name : moduleNames()) {
      assertThat(reference)
          .as("docs/configuration.md")
          .contains("`aicost.instrumentation." + name + ".enabled`");
    }
  }
}
