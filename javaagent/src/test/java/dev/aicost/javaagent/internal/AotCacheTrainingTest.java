package dev.aicost.javaagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aicost.sdk.AiCostSettings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AotCacheTrainingTest {

  private static final BooleanSupplier NEVER_ASKED =
      () -> {
        throw new AssertionError("the VM's flags were asked although the options tell");
      };

  private static boolean training(String... options) {
    return AotCacheTraining.fromOptions(Arrays.asList(options), false, NEVER_ASKED);
  }

  @Test
  void theTrainingAndAssemblyOptionsOfJep483AndJep514() {
    assertThat(training("-Xmx1g", "-XX:AOTMode=record", "-XX:AOTConfiguration=app.aotconf", "-jar", "app.jar")).isTrue();
    assertThat(training("-XX:AOTMode=create", "-XX:AOTConfiguration=app.aotconf", "-XX:AOTCache=app.aot")).isTrue();
    assertThat(training("-XX:AOTCacheOutput=app.aot", "-jar", "app.jar")).isTrue();
  }

  @Test
  void runningFromACacheOrWithoutOneIsNotTraining() {
    assertThat(training("-XX:AOTCache=app.aot", "-jar", "app.jar")).isFalse();
    assertThat(training("-XX:AOTMode=on", "-XX:AOTCache=app.aot")).isFalse();
    assertThat(training("-XX:AOTMode=auto", "-XX:AOTMode=off", "-XX:AOTCacheOutput=")).isFalse();
    assertThat(training("-jar", "app.jar", "-XX:AOTModeX=record")).isFalse();
  }

  @Test
  void optionsFromFilesOrAnUnreadableCommandLineAskTheVm() {
    AtomicInteger asked = new AtomicInteger();
    BooleanSupplier vmSaysTraining =
        () -> {
          asked.incrementAndGet();
          return true;
        };
    assertThat(AotCacheTraining.fromOptions(List.of("@options.txt", "-jar", "app.jar"), false, vmSaysTraining)).isTrue();
    assertThat(AotCacheTraining.fromOptions(List.of("-XX:VMOptionsFile=vm.opts"), false, vmSaysTraining)).isTrue();
    assertThat(AotCacheTraining.fromOptions(List.of("-XX:Flags=.hotspotrc"), false, vmSaysTraining)).isTrue();
    assertThat(AotCacheTraining.fromOptions(List.of(), true, vmSaysTraining)).isTrue();
    assertThat(asked).hasValue(4);
    assertThat(AotCacheTraining.fromOptions(List.of("@options.txt"), false, () -> false)).isFalse();
  }

  /** This test JVM builds no cache. */
  @Test
  void thisJvmIsNoTrainingRun() {
    assertThat(AotCacheTraining.isThisJvm()).isFalse();
  }

  @Test
  void aTrainingRunLeavesOnlyTheModulesThatChangeJdkClassesOff() {
    AiCostSettings settings = AiCostSettings.of(Map.of());
    List<String> all = names(AgentInstaller.enabledModules(settings, false));
    List<String> training = names(AgentInstaller.enabledModules(settings, true));
    assertThat(all).contains("concurrency", "openai", "anthropic");
    List<String> expected =
        AgentInstaller.modules().stream()
            .filter(m -> m.jdkTypes().isEmpty())
            .map(InstrumentationModule::name)
            .collect(Collectors.toList());
    assertThat(training).isEqualTo(expected).doesNotContain("concurrency").contains("openai", "anthropic");
  }

  private static List<String> names(List<InstrumentationModule> modules) {
    return modules.stream().map(InstrumentationModule::name).collect(Collectors.toList());
  }
}
