package dev.aicost.it.app;

import com.openai.azure.AzureOpenAIServiceVersion;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

/**
 * An application using openai-java against Azure OpenAI (API key credential, service version, deployment names),
 * run in a forked JVM with the agent attached. Compiles against openai-java 2.x and 4.x alike.
 *
 * <p>Usage: {@code AzureOpenAiScenarios <scenario> <endpoint> [deployment]}. {@code chat-*} scenarios use the
 * endpoint as is (tests call {@code http://*.openai.azure.com} through an HTTP proxy that is the mock);
 * {@code private-*} scenarios reach an endpoint whose host says nothing, with openai-java 4's
 * {@code AzureUrlPathMode.LEGACY}.
 */
public final class AzureOpenAiScenarios {

  static final String API_KEY = "azure-test-secret-key";

  public static void main(String[] args) throws Exception {
    String scenario = args[0];
    OpenAIOkHttpClient.Builder builder =
        OpenAIOkHttpClient.builder()
            .baseUrl(args[1])
            .credential(AzureApiKeyCredential.create(API_KEY))
            .azureServiceVersion(AzureOpenAIServiceVersion.fromString("2024-10-21"))
            .maxRetries(0);
    if (scenario.startsWith("private-")) {
      Class<?> mode;
      try {
        mode = Class.forName("com.openai.azure.AzureUrlPathMode");
      } catch (ClassNotFoundException e) {
        System.out.println("RESULT skipped=no AzureUrlPathMode in this openai-java");
        return;
      }
      Object legacy = mode.getField("LEGACY").get(null);
      builder.getClass().getMethod("azureUrlPathMode", mode).invoke(builder, legacy);
    }
    OpenAIClient client = builder.build();
    try {
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder().model(args.length > 2 ? args[2] : "prod-chat")
              .addUserMessage("Classify this support ticket").maxCompletionTokens(40).build();
      if (scenario.endsWith("-stream")) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
            params.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build())) {
          s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        System.out.println("RESULT text=" + text);
      } else {
        ChatCompletion c = client.chat().completions().create(params);
        System.out.println("RESULT id=" + c.id() + " model=" + c.model()
            + " prompt_tokens=" + c.usage().get().promptTokens());
      }
    } finally {
      client.close();
    }
    System.out.println("RESULT done=" + scenario);
  }
}
