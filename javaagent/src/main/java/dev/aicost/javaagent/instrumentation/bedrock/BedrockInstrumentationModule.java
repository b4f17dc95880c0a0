package dev.aicost.javaagent.instrumentation.bedrock;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * AWS SDK for Java v2 Bedrock Runtime ({@code software.amazon.awssdk:bedrockruntime}): {@code converse},
 * {@code converseStream}, {@code invokeModel} and {@code invokeModelWithResponseStream}, sync and async clients.
 *
 * <p>The SDK's own extension point does the work: an {@code ExecutionInterceptor} (a helper defined next to the SDK)
 * is added to every Bedrock Runtime client as it is built, by advice on the generated builder's
 * {@code finalizeServiceConfiguration}; see {@link AiCostBedrockInterceptor} for where a call starts and ends
 * relative to the SDK's retries. The async client's methods also get advice: event streams are delivered to a
 * response handler that the interceptor cannot see, and a future cancelled by the application ends without an
 * interceptor callback (see {@link BedrockAsync}).
 */
public final class BedrockInstrumentationModule extends InstrumentationModule {

  static final String PACKAGE = "dev.aicost.javaagent.instrumentation.bedrock.";
  private static final String MODEL = "software.amazon.awssdk.services.bedrockruntime.model.";
  private static final String CLIENT_BUILDER =
      "software.amazon.awssdk.services.bedrockruntime.DefaultBedrockRuntimeBaseClientBuilder";
  private static final String ASYNC_CLIENT = "software.amazon.awssdk.services.bedrockruntime.DefaultBedrockRuntimeAsyncClient";

  public BedrockInstrumentationModule() {
    super("bedrock");
  }

  @Override
  public String description() {
    return "software.amazon.awssdk:bedrockruntime 2.25.63+ (Converse and InvokeModel)";
  }

  @Override
  public List<String> landmarkClasses() {
    return Arrays.asList(
        "software.amazon.awssdk.core.interceptor.ExecutionInterceptor",
        "software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient");
  }

  @Override
  public List<String> helperClasses() {
    return Arrays.asList(
        "dev.aicost.javaagent.instrumentation.common.Causes",
        PACKAGE + "BedrockModels",
        PACKAGE + "BedrockUsage",
        PACKAGE + "BedrockCall$InvokeResult",
        PACKAGE + "BedrockCall",
        PACKAGE + "StreamObserver",
        PACKAGE + "ObservedPublisher",
        PACKAGE + "ObservedPublisher$ObservedSubscriber",
        PACKAGE + "TracedConverseStreamHandler",
        PACKAGE + "TracedInvokeStreamHandler",
        PACKAGE + "BedrockAsync$Pending",
        PACKAGE + "BedrockAsync",
        PACKAGE + "AiCostBedrockInterceptor",
        PACKAGE + "BedrockInterceptors");
  }

  @Override
  public Set<String> typeNames() {
    return new LinkedHashSet<>(Arrays.asList(CLIENT_BUILDER, ASYNC_CLIENT));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new TypeInstrumentation(
            Collections.singleton(CLIENT_BUILDER),
            Collections.singletonList(
                new MethodAdvice(
                    named("finalizeServiceConfiguration").and(takesArguments(1)),
                    PACKAGE + "BedrockClientBuilderAdvice"))),
        new TypeInstrumentation(
            Collections.singleton(ASYNC_CLIENT),
            Arrays.asList(
                new MethodAdvice(
                    namedOneOf("converse", "invokeModel").and(takesArgument(0, named(MODEL + "ConverseRequest"))
                        .or(takesArgument(0, named(MODEL + "InvokeModelRequest")))),
                    PACKAGE + "BedrockAsyncAdvice"),
                new MethodAdvice(
                    namedOneOf("converseStream", "invokeModelWithResponseStream").and(takesArguments(2))
                        .and(takesArgument(0, named(MODEL + "ConverseStreamRequest"))
                            .or(takesArgument(0, named(MODEL + "InvokeModelWithResponseStreamRequest")))),
                    PACKAGE + "BedrockStreamAdvice"))));
  }
}
