package dev.aicost.javaagent.instrumentation.genai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GenAiCallTest {

  @Test
  void modelNamesLoseTheResourcePrefixTheSdkAccepts() {
    assertThat(GenAiCall.modelName("gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
    assertThat(GenAiCall.modelName("models/gemini-2.5-flash")).isEqualTo("gemini-2.5-flash");
    assertThat(GenAiCall.modelName("publishers/google/models/gemini-2.5-pro")).isEqualTo("gemini-2.5-pro");
    assertThat(GenAiCall.modelName("projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro"))
        .isEqualTo("gemini-2.5-pro");
  }

  @Test
  void tunedModelsAndEndpointsKeepTheirFullName() {
    assertThat(GenAiCall.modelName("tunedModels/my-model-123")).isEqualTo("tunedModels/my-model-123");
    assertThat(GenAiCall.modelName("projects/p/locations/l/endpoints/42")).isEqualTo("projects/p/locations/l/endpoints/42");
    assertThat(GenAiCall.modelName("projects/p/locations/l/publishers/meta/models/llama-3"))
        .isEqualTo("projects/p/locations/l/publishers/meta/models/llama-3");
  }

  @Test
  void vertexTrafficTypesMapToServiceTiers() {
    assertThat(GenAiUsage.serviceTier("ON_DEMAND")).isEqualTo("on_demand");
    assertThat(GenAiUsage.serviceTier("ON_DEMAND_PRIORITY")).isEqualTo("priority");
    assertThat(GenAiUsage.serviceTier("ON_DEMAND_FLEX")).isEqualTo("flex");
    assertThat(GenAiUsage.serviceTier("PROVISIONED_THROUGHPUT")).isEqualTo("provisioned_throughput");
    assertThat(GenAiUsage.serviceTier("TRAFFIC_TYPE_UNSPECIFIED")).isNull();
  }
}
