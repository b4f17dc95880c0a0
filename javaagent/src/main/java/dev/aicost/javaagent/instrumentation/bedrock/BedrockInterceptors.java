package dev.aicost.javaagent.instrumentation.bedrock;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Adds {@link AiCostBedrockInterceptor} to a Bedrock Runtime client's configuration as the client is built. */
public final class BedrockInterceptors {

  private BedrockInterceptors() {}

  /** Called on exit of the client builder's {@code finalizeServiceConfiguration}; returns the configuration to use. */
  public static Object register(Object configuration) {
    try {
      SdkClientConfiguration config = (SdkClientConfiguration) configuration;
      List<ExecutionInterceptor> current = config.option(SdkClientOption.EXECUTION_INTERCEPTORS);
      List<ExecutionInterceptor> interceptors = new ArrayList<>();
      if (current != null) {
        for (ExecutionInterceptor i : current) {
          if (i instanceof AiCostBedrockInterceptor) {
            return configuration;
          }
          interceptors.add(i);
        }
      }
      interceptors.add(AiCostBedrockInterceptor.INSTANCE);
      return config.toBuilder().option(SdkClientOption.EXECUTION_INTERCEPTORS, interceptors).build();
    } catch (Throwable t) {
      return configuration; // the client works unmetered rather than not at all
    }
  }
}
