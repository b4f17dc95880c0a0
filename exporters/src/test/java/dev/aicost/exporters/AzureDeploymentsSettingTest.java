package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureDeploymentsSettingTest {

  @Test
  void parsesModelsAndDeploymentTypes() {
    Map<String, String> models = new HashMap<>();
    Map<String, String> regions = new HashMap<>();
    AiCostPipeline.azureDeployments(" prod-chat = gpt-4o , eu-chat=gpt-4o/data_zone,us=gpt-4o-mini/global ", models,
        regions);
    assertThat(models).containsOnly(
        Map.entry("prod-chat", "gpt-4o"), Map.entry("eu-chat", "gpt-4o"), Map.entry("us", "gpt-4o-mini"));
    assertThat(regions).containsOnly(Map.entry("eu-chat", "data_zone"));
  }

  @Test
  void emptyIsNothing() {
    Map<String, String> models = new HashMap<>();
    AiCostPipeline.azureDeployments("  ", models, new HashMap<>());
    assertThat(models).isEmpty();
  }

  @Test
  void malformedValuesNameTheSettingAndTheExpectedForm() {
    for (String bad : new String[] {"prod-chat", "=gpt-4o", "prod=", "eu=gpt-4o/eu-west", "a=b,c"}) {
      assertThatThrownBy(() -> AiCostPipeline.azureDeployments(bad, new HashMap<>(), new HashMap<>()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("aicost.azure.deployments")
          .hasMessageContaining("deployment=model");
    }
  }
}
