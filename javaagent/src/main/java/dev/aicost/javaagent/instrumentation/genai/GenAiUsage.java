package dev.aicost.javaagent.instrumentation.genai;

import com.google.genai.errors.ApiException;
import com.google.genai.types.Candidate;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.ModalityTokenCount;
import dev.aicost.bootstrap.AiCallHandle;
import dev.aicost.javaagent.instrumentation.common.Causes;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads google-genai response objects into an {@link AiCallHandle}, in aicost's normalized convention.
 *
 * <p>Google's {@code usageMetadata}: {@code promptTokenCount} already includes {@code cachedContentTokenCount};
 * {@code toolUsePromptTokenCount} (results of Google Search, code execution, URL context fed back to the model) is
 * counted apart and billed as input; {@code candidatesTokenCount} excludes {@code thoughtsTokenCount}, and thinking
 * is billed as output. So: input = prompt + tool-use prompt, cache read = cached content, output = candidates +
 * thoughts, reasoning = thoughts. Audio comes from the per-modality details: uncached prompt and tool-use audio
 * (cached audio is part of the cache read) and candidates audio.
 */
final class GenAiUsage {

  private GenAiUsage() {}

  /** Reads a whole non-streaming response. */
  static void report(AiCallHandle h, GenerateContentResponse r) {
    reportResponse(h, r);
    Optional<GenerateContentResponseUsageMetadata> usage = r.usageMetadata();
    if (usage.isPresent()) {
      reportUsage(h, usage.get());
    } else {
      h.usageUnavailable("no_usage_in_response");
    }
  }

  /** Model version, response id and finish reasons of a response or streamed chunk. */
  static void reportResponse(AiCallHandle h, GenerateContentResponse r) {
    Optional<String> model = r.modelVersion();
    if (model.isPresent()) {
      h.responseModel(model.get());
    }
    Optional<String> id = r.responseId();
    if (id.isPresent()) {
      h.responseId(id.get());
    }
    Optional<List<Candidate>> candidates = r.candidates();
    if (candidates.isPresent()) {
      for (Candidate c : candidates.get()) {
        if (c.finishReason().isPresent()) {
          h.finishReason(c.finishReason().get().toString().toLowerCase(Locale.ROOT));
        }
      }
    }
  }

  /** Whether a streamed chunk carries a candidate's finish reason: the final chunk of a generation. */
  static boolean isFinal(GenerateContentResponse r) {
    Optional<List<Candidate>> candidates = r.candidates();
    if (candidates.isPresent()) {
      for (Candidate c : candidates.get()) {
        if (c.finishReason().isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  static void reportUsage(AiCallHandle h, GenerateContentResponseUsageMetadata u) {
    long prompt = count(u.promptTokenCount());
    long toolUse = count(u.toolUsePromptTokenCount());
    long cached = count(u.cachedContentTokenCount());
    long thoughts = count(u.thoughtsTokenCount());
    long candidatesTokens = count(u.candidatesTokenCount());
    long audioIn =
        Math.max(0, audio(u.promptTokensDetails()) - audio(u.cacheTokensDetails())) + audio(u.toolUsePromptTokensDetails());
    h.usage(prompt + toolUse, candidatesTokens + thoughts)
        .cacheReadTokens(cached)
        .reasoningTokens(thoughts)
        .audioInputTokens(audioIn)
        .audioOutputTokens(audio(u.candidatesTokensDetails()));
    if (u.trafficType().isPresent()) {
      String tier = serviceTier(u.trafficType().get().toString());
      if (tier != null) {
        h.responseServiceTier(tier);
      }
    }
  }

  /**
   * Vertex AI's traffic type is how the call was billed: pay-as-you-go (standard, priority or flex) or Provisioned
   * Throughput, which is paid for up front and has no per-token price (the call is then reported unpriced as
   * {@code unknown_service_tier} rather than priced at on-demand rates).
   */
  static String serviceTier(String trafficType) {
    switch (trafficType) {
      case "ON_DEMAND":
        return "on_demand";
      case "ON_DEMAND_PRIORITY":
        return "priority";
      case "ON_DEMAND_FLEX":
        return "flex";
      case "TRAFFIC_TYPE_UNSPECIFIED":
        return null;
      default:
        return trafficType.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Embeddings. Vertex AI reports a token count per input ({@code statistics.token_count}); newer Gemini API
   * responses carry {@code usageMetadata.promptTokenCount} (read reflectively: older google-genai versions have no
   * such accessor). The Gemini API's {@code batchEmbedContents} otherwise reports no usage at all: the call is then
   * reported as {@code no_usage_in_response}, never guessed.
   */
  static void report(AiCallHandle h, EmbedContentResponse r) {
    Long reported = embeddingUsageMetadata(r);
    if (reported != null) {
      h.usage(reported, 0);
      return;
    }
    long tokens = 0;
    boolean any = false;
    if (r.embeddings().isPresent()) {
      for (ContentEmbedding e : r.embeddings().get()) {
        if (e.statistics().isPresent() && e.statistics().get().tokenCount().isPresent()) {
          tokens += Math.round(e.statistics().get().tokenCount().get());
          any = true;
        }
      }
    }
    if (any) {
      h.usage(tokens, 0);
    } else {
      h.usageUnavailable("no_usage_in_response");
    }
  }

  private static volatile Method usageMetadataAccessor;
  private static volatile Method promptTokenCountAccessor;
  private static volatile boolean noUsageMetadataAccessor;

  /** {@code EmbedContentResponse.usageMetadata().promptTokenCount()} when this google-genai has it, else null. */
  private static Long embeddingUsageMetadata(EmbedContentResponse r) {
    if (noUsageMetadataAccessor) {
      return null;
    }
    try {
      Method m = usageMetadataAccessor;
      if (m == null) {
        m = r.getClass().getMethod("usageMetadata");
        usageMetadataAccessor = m;
      }
      Optional<?> usage = (Optional<?>) m.invoke(r);
      if (usage == null || !usage.isPresent()) {
        return null;
      }
      Object u = usage.get();
      Method p = promptTokenCountAccessor;
      if (p == null) {
        p = u.getClass().getMethod("promptTokenCount");
        promptTokenCountAccessor = p;
      }
      Optional<?> count = (Optional<?>) p.invoke(u);
      return count != null && count.isPresent() ? Long.valueOf(((Number) count.get()).longValue()) : null;
    } catch (NoSuchMethodException e) {
      noUsageMetadataAccessor = true;
      return null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static long count(Optional<Integer> value) {
    return value.isPresent() ? value.get().longValue() : 0L;
  }

  private static long audio(Optional<List<ModalityTokenCount>> details) {
    if (!details.isPresent()) {
      return 0;
    }
    long audio = 0;
    for (ModalityTokenCount m : details.get()) {
      if (m.modality().isPresent() && "AUDIO".equals(m.modality().get().toString())) {
        audio += count(m.tokenCount());
      }
    }
    return audio;
  }

  /** {@code error.type}: the HTTP status when Google answered with an error, else the exception's class. */
  static String errorType(Throwable t) {
    Throwable c = Causes.unwrap(t);
    if (c instanceof ApiException) {
      return Integer.toString(((ApiException) c).code());
    }
    return c.getClass().getName();
  }
}
