package dev.aicost.javaagent.instrumentation.openai;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * openai-java: Chat Completions, Responses and Embeddings, blocking and async, plain and streaming.
 *
 * <p>It advises the services' {@code WithRawResponseImpl.create/createStreaming}: every public path (the plain
 * methods, {@code withRawResponse()}, async) goes through them exactly once per API call, after the SDK's own
 * retries, so one span stands for the one attempt the provider billed. The returned response is wrapped so usage is
 * read when the application parses it (or when a stream ends, fails or is closed early).
 */
public final class OpenAiInstrumentationModule extends InstrumentationModule {

  static final String ADVICE = "dev.aicost.javaagent.instrumentation.openai.OpenAiCreateAdvice";

  private static final String[] SERVICES = {
    "com.openai.services.blocking.chat.ChatCompletionServiceImpl$WithRawResponseImpl",
    "com.openai.services.async.chat.ChatCompletionServiceAsyncImpl$WithRawResponseImpl",
    "com.openai.services.blocking.ResponseServiceImpl$WithRawResponseImpl",
    "com.openai.services.async.ResponseServiceAsyncImpl$WithRawResponseImpl",
    "com.openai.services.blocking.EmbeddingServiceImpl$WithRawResponseImpl",
    "com.openai.services.async.EmbeddingServiceAsyncImpl$WithRawResponseImpl",
  };

  public OpenAiInstrumentationModule() {
    super("openai");
  }

  @Override
  public String description() {
    return "com.openai:openai-java 2.12 to 4.x";
  }

  @Override
  public List<String> landmarkClasses() {
    return Arrays.asList(
        "com.openai.core.http.HttpResponseFor", "com.openai.models.chat.completions.ChatCompletionCreateParams");
  }

  @Override
  public List<String> helperClasses() {
    String p = "dev.aicost.javaagent.instrumentation.openai.";
    String common = "dev.aicost.javaagent.instrumentation.common.";
    return Arrays.asList(
        common + "StreamObserver",
        common + "ObservingSpliterator",
        common + "ObservedFutures",
        common + "Causes",
        common + "ClientEndpoint",
        p + "OpenAiUsage",
        p + "OpenAiCall",
        p + "TracedStreamResponse",
        p + "TracedHttpResponseFor");
  }

  @Override
  public Set<String> typeNames() {
    return new LinkedHashSet<>(Arrays.asList(SERVICES));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(
        new TypeInstrumentation(
            Arrays.asList(SERVICES),
            Collections.singletonList(
                new MethodAdvice(namedOneOf("create", "createStreaming").and(takesArguments(2)), ADVICE))));
  }
}
