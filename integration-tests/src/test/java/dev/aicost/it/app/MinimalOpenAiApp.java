package dev.aicost.it.app;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** One chat call with API that every openai-java version since 1.x has; for version-range tests. */
public final class MinimalOpenAiApp {

  private MinimalOpenAiApp() {}

  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("sk-test").baseUrl(args[0]).maxRetries(0).build();
    ChatCompletion c =
        client.chat().completions().create(
            ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Hello").build());
    System.out.println("RESULT id=" + c.id());
    System.out.println("RESULT content=" + c.choices().get(0).message().content().orElse(""));
  }
}
