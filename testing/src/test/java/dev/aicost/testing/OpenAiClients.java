package dev.aicost.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;

/** Real openai-java clients pointed at a {@link MockOpenAiServer}. */
final class OpenAiClients {
  static final String API_KEY = "sk-test-0123456789";

  private OpenAiClients() {}

  /** No retries, strict response validation: any wire-format mismatch fails the call. */
  static OpenAIClient strict(MockOpenAiServer server) {
    return builder(server).maxRetries(0).build();
  }

  static OpenAIOkHttpClient.Builder builder(MockOpenAiServer server) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(server.baseUrl())
        .apiKey(API_KEY)
        .responseValidation(true)
        .timeout(Duration.ofSeconds(10));
  }
}
