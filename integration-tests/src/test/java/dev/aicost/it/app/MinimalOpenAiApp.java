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
    // What the agent may leave in the application's own class loader: nothing (Byte Buddy's Nexus is not injected).
    System.out.println("RESULT nexus_in_application=" + loaded("dev.aicost.shaded.net.bytebuddy.dynamic.Nexus"));
    System.out.println("RESULT bridge_loader=" + loaderOf("dev.aicost.bootstrap.AiCallBridge"));
  }

  private static String loaderOf(String className) {
    try {
      ClassLoader loader = Class.forName(className, false, ClassLoader.getSystemClassLoader()).getClassLoader();
      return loader == null ? "bootstrap" : loader.toString();
    } catch (ClassNotFoundException e) {
      return "none";
    }
  }

  private static boolean loaded(String className) {
    return !loaderOf(className).equals("none");
  }
}
