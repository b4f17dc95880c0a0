package dev.aicost.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Token counts for a scripted {@link MockGeminiServer} reply, in Google's own convention ({@code usageMetadata}):
 * {@code promptTokens} includes {@code cachedTokens} and the prompt's audio; {@code candidatesTokens} excludes
 * {@code thoughtsTokens}; {@code toolUsePromptTokens} is counted apart from the prompt. {@code totalTokenCount} is
 * prompt + candidates + thoughts + tool-use prompt, as Google reports it.
 *
 * @param promptTokens {@code promptTokenCount}
 * @param cachedTokens {@code cachedContentTokenCount} (part of the prompt; omitted when 0)
 * @param candidatesTokens {@code candidatesTokenCount}
 * @param thoughtsTokens {@code thoughtsTokenCount} (omitted when 0)
 * @param toolUsePromptTokens {@code toolUsePromptTokenCount} (omitted when 0)
 * @param promptAudioTokens the prompt's AUDIO modality (the rest is TEXT)
 * @param cachedAudioTokens the cached content's AUDIO modality
 * @param candidatesAudioTokens the candidates' AUDIO modality
 */
public record GeminiUsage(
    int promptTokens,
    int cachedTokens,
    int candidatesTokens,
    int thoughtsTokens,
    int toolUsePromptTokens,
    int promptAudioTokens,
    int cachedAudioTokens,
    int candidatesAudioTokens) {

  public GeminiUsage {
    if (promptTokens < 0 || cachedTokens < 0 || candidatesTokens < 0 || thoughtsTokens < 0 || toolUsePromptTokens < 0
        || promptAudioTokens < 0 || cachedAudioTokens < 0 || candidatesAudioTokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    if (cachedTokens > promptTokens || promptAudioTokens > promptTokens || cachedAudioTokens > cachedTokens
        || cachedAudioTokens > promptAudioTokens || candidatesAudioTokens > candidatesTokens) {
      throw new IllegalArgumentException("a part exceeds its whole: " + this);
    }
  }

  /** Prompt and candidates only. */
  public static GeminiUsage of(int promptTokens, int candidatesTokens) {
    return new GeminiUsage(promptTokens, 0, candidatesTokens, 0, 0, 0, 0, 0);
  }

  public GeminiUsage withCached(int cached) {
    return new GeminiUsage(promptTokens, cached, candidatesTokens, thoughtsTokens, toolUsePromptTokens,
        promptAudioTokens, cachedAudioTokens, candidatesAudioTokens);
  }

  public GeminiUsage withThoughts(int thoughts) {
    return new GeminiUsage(promptTokens, cachedTokens, candidatesTokens, thoughts, toolUsePromptTokens,
        promptAudioTokens, cachedAudioTokens, candidatesAudioTokens);
  }

  public GeminiUsage withToolUsePrompt(int toolUse) {
    return new GeminiUsage(promptTokens, cachedTokens, candidatesTokens, thoughtsTokens, toolUse, promptAudioTokens,
        cachedAudioTokens, candidatesAudioTokens);
  }

  public GeminiUsage withAudio(int promptAudio, int cachedAudio, int candidatesAudio) {
    return new GeminiUsage(promptTokens, cachedTokens, candidatesTokens, thoughtsTokens, toolUsePromptTokens,
        promptAudio, cachedAudio, candidatesAudio);
  }

  public int totalTokens() {
    return promptTokens + candidatesTokens + thoughtsTokens + toolUsePromptTokens;
  }

  /** The {@code usageMetadata} object; {@code trafficType} (Vertex AI only) is omitted when null. */
  ObjectNode toJson(String trafficType) {
    ObjectNode u = Json.object();
    u.put("promptTokenCount", promptTokens);
    u.put("candidatesTokenCount", candidatesTokens);
    u.put("totalTokenCount", totalTokens());
    if (cachedTokens > 0) {
      u.put("cachedContentTokenCount", cachedTokens);
    }
    u.set("promptTokensDetails", modalities(promptTokens - promptAudioTokens, promptAudioTokens));
    if (cachedTokens > 0) {
      u.set("cacheTokensDetails", modalities(cachedTokens - cachedAudioTokens, cachedAudioTokens));
    }
    if (candidatesTokens > 0) {
      u.set("candidatesTokensDetails", modalities(candidatesTokens - candidatesAudioTokens, candidatesAudioTokens));
    }
    if (toolUsePromptTokens > 0) {
      u.put("toolUsePromptTokenCount", toolUsePromptTokens);
      u.set("toolUsePromptTokensDetails", modalities(toolUsePromptTokens, 0));
    }
    if (thoughtsTokens > 0) {
      u.put("thoughtsTokenCount", thoughtsTokens);
    }
    if (trafficType != null) {
      u.put("trafficType", trafficType);
    }
    return u;
  }

  private static ArrayNode modalities(int text, int audio) {
    ArrayNode a = Json.array();
    if (text > 0 || audio == 0) {
      a.addObject().put("modality", "TEXT").put("tokenCount", text);
    }
    if (audio > 0) {
      a.addObject().put("modality", "AUDIO").put("tokenCount", audio);
    }
    return a;
  }
}
