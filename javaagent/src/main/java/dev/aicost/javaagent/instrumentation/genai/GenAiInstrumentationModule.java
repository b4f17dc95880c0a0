package dev.aicost.javaagent.instrumentation.genai;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.aicost.javaagent.internal.InstrumentationModule;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * google-genai ({@code com.google.genai:google-genai}), Gemini API and Vertex AI: {@code generateContent},
 * {@code generateContentStream} and {@code embedContent}, blocking and async.
 *
 * <p>google-genai is hand-written, not generated: its public methods run the automatic function-calling loop and
 * (in 2.x) automatic continuation, which send several requests for one call of the application. Every request goes
 * through one of the package-private {@code privateGenerateContent}, {@code privateGenerateContentStream} and
 * {@code privateEmbedContent} of {@code Models} (blocking) or {@code AsyncModels} (async, since 1.18) exactly once,
 * after the SDK's retries: that is where calls are intercepted, so each billed request is one span. Streams are
 * observed element by element on the iterator that reads each request's own body.
 */
public final class GenAiInstrumentationModule extends InstrumentationModule {

  static final String PACKAGE = "dev.aicost.javaagent.instrumentation.genai.";
  static final String MODELS = "com.google.genai.Models";
  static final String ASYNC_MODELS = "com.google.genai.AsyncModels";
  static final String STREAM = "com.google.genai.ResponseStream";
  static final String STREAM_ITERATOR = "com.google.genai.ResponseStream$ResponseStreamIterator";

  public GenAiInstrumentationModule() {
    super("genai");
  }

  @Override
  public String description() {
    return "com.google.genai:google-genai 1.18 to 2.x";
  }

  @Override
  public List<String> landmarkClasses() {
    return Arrays.asList(MODELS, "com.google.genai.ApiClient");
  }

  @Override
  public List<String> helperClasses() {
    return Arrays.asList(
        "dev.aicost.javaagent.instrumentation.common.Causes", PACKAGE + "GenAiUsage", PACKAGE + "GenAiCall");
  }

  /**
   * Before 1.18, {@code AsyncModels} ran the blocking methods on the common pool, where a call would be metered
   * without the caller's attribution and trace: those versions are not supported.
   */
  @Override
  public List<String> requiredMethods() {
    return Arrays.asList(
        MODELS + "#privateGenerateContent",
        MODELS + "#privateGenerateContentStream",
        MODELS + "#privateEmbedContent",
        ASYNC_MODELS + "#privateGenerateContent",
        ASYNC_MODELS + "#privateGenerateContentStream",
        STREAM_ITERATOR + "#next",
        STREAM_ITERATOR + "#hasNext",
        STREAM + "#close");
  }

  @Override
  public Set<String> typeNames() {
    return new LinkedHashSet<>(Arrays.asList(MODELS, ASYNC_MODELS, STREAM_ITERATOR, STREAM));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    MethodAdvice requests =
        new MethodAdvice(
            namedOneOf("privateGenerateContent", "privateGenerateContentStream", "privateEmbedContent"),
            PACKAGE + "GenAiRequestAdvice");
    return Arrays.asList(
        new TypeInstrumentation(Arrays.asList(MODELS, ASYNC_MODELS), Collections.singletonList(requests)),
        // 2.x: readCurrent() reads this request's own body; hasNext() reads ahead lazily and sets streamEnded.
        // (next() may hand out an element of the continuation request that follows.)
        new TypeInstrumentation(
                Collections.singleton(STREAM_ITERATOR),
                Arrays.asList(
                    new MethodAdvice(named("readCurrent").and(takesArguments(0)), PACKAGE + "GenAiStreamReadCurrentAdvice"),
                    new MethodAdvice(named("hasNext").and(takesArguments(0)), PACKAGE + "GenAiStreamHasMoreAdvice")))
            .refinedBy(declaresMethod(named("readCurrent"))),
        // 1.x: next() reads one element and the next event ahead into nextJson.
        new TypeInstrumentation(
                Collections.singleton(STREAM_ITERATOR),
                Arrays.asList(
                    new MethodAdvice(
                        named("next").and(takesArguments(0)).and(not(isBridge())), PACKAGE + "GenAiStreamNextAdvice"),
                    new MethodAdvice(named("hasNext").and(takesArguments(0)), PACKAGE + "GenAiStreamHasNextAdvice")))
            .refinedBy(not(declaresMethod(named("readCurrent")))),
        new TypeInstrumentation(
            Collections.singleton(STREAM),
            Collections.singletonList(
                new MethodAdvice(named("close").and(takesArguments(0)), PACKAGE + "GenAiStreamCloseAdvice"))));
  }
}
