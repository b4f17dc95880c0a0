package dev.aicost.it.app;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Tool;
import dev.aicost.sdk.AiCost;
import dev.aicost.sdk.AiCostScope;
import java.lang.reflect.Method;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An application using google-genai, run in a forked JVM with the agent attached. Each scenario prints what the
 * application saw as {@code RESULT key=value} lines. Uses only API that every supported google-genai version has
 * (1.18 to 2.x), so the same class runs against the oldest and the newest.
 *
 * <p>Usage: {@code GenAiScenarios <scenario> <baseUrl>}
 */
public final class GenAiScenarios {

  static final String API_KEY = "AIza-test-secret-key";
  static final String ACCESS_TOKEN = "ya29.test-secret-token";

  private final String baseUrl;

  private GenAiScenarios(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public static void main(String[] args) throws Exception {
    new GenAiScenarios(args[1]).run(args[0]);
    System.out.println("RESULT done=" + args[0]);
  }

  /** The automatic function-calling tool. */
  public static String weather(String city) {
    return "Sunny, 24 degrees in " + city;
  }

  private Client gemini(boolean retries) {
    return Client.builder().apiKey(API_KEY).httpOptions(httpOptions(retries)).build();
  }

  private Client vertex(String location) {
    GoogleCredentials credentials =
        GoogleCredentials.create(new AccessToken(ACCESS_TOKEN, new Date(System.currentTimeMillis() + 3_600_000L)));
    return Client.builder()
        .vertexAI(true)
        .project("aicost-test")
        .location(location)
        .credentials(credentials)
        .httpOptions(httpOptions(false))
        .build();
  }

  /**
   * The mock's base URL; no retries unless asked (google-genai 1.25+ retries 429 and 5xx by default, older versions
   * never retry: {@code HttpRetryOptions} is set reflectively where it exists).
   */
  private HttpOptions httpOptions(boolean retries) {
    HttpOptions.Builder b = HttpOptions.builder().baseUrl(baseUrl);
    try {
      Class<?> retryOptions = Class.forName("com.google.genai.types.HttpRetryOptions");
      Method builder = retryOptions.getMethod("builder");
      Class<?> builderType = builder.getReturnType(); // the public abstract builder, not AutoValue's class
      Object rb = builder.invoke(null);
      builderType.getMethod("attempts", Integer.class).invoke(rb, retries ? 3 : 1);
      if (retries) {
        builderType.getMethod("initialDelay", Double.class).invoke(rb, 0.01);
        builderType.getMethod("maxDelay", Double.class).invoke(rb, 0.02);
      }
      Object options = builderType.getMethod("build").invoke(rb);
      HttpOptions.Builder.class.getMethod("retryOptions", retryOptions).invoke(b, options);
      System.out.println("RESULT retries_configurable=true");
    } catch (ReflectiveOperationException e) {
      System.out.println("RESULT retries_configurable=false");
    }
    return b.build();
  }

  private static GenerateContentConfig maxTokens(int n) {
    return GenerateContentConfig.builder().maxOutputTokens(n).build();
  }

  private void run(String scenario) throws Exception {
    switch (scenario) {
      case "generate-sync" -> {
        try (Client client = gemini(false)) {
          print(client.models.generateContent("gemini-2.5-flash", "What is the capital of France?", maxTokens(20)));
        }
      }
      case "generate-async" -> {
        try (Client client = gemini(false)) {
          print(client.async.models.generateContent("models/gemini-2.5-flash", "Async question", maxTokens(20)).join());
        }
      }
      case "chat" -> {
        try (Client client = gemini(false)) {
          var chat = client.chats.create("gemini-2.5-flash", maxTokens(8));
          print(chat.sendMessage("First turn"));
          print(chat.sendMessage("Second turn"));
        }
      }
      case "stream-sync" -> {
        try (Client client = gemini(false);
            ResponseStream<GenerateContentResponse> stream =
                client.models.generateContentStream("gemini-2.5-flash", "Stream me a haiku", maxTokens(10))) {
          consume(stream);
        }
      }
      case "stream-async" -> {
        try (Client client = gemini(false);
            ResponseStream<GenerateContentResponse> stream =
                client.async.models.generateContentStream("gemini-2.5-flash", "Async stream", maxTokens(10)).join()) {
          consume(stream);
        }
      }
      case "stream-early-close" -> {
        try (Client client = gemini(false)) {
          ResponseStream<GenerateContentResponse> stream =
              client.models.generateContentStream("gemini-2.5-flash", "A long story", maxTokens(40));
          Iterator<GenerateContentResponse> it = stream.iterator();
          System.out.println("RESULT first_chunk=" + it.next().text().length());
          stream.close();
          System.out.println("RESULT closed=true");
        }
      }
      case "stream-failure" -> { // twice: the mock scripts how each stream fails
        try (Client client = gemini(false)) {
          for (int i = 0; i < 2; i++) {
            try (ResponseStream<GenerateContentResponse> stream =
                client.models.generateContentStream("gemini-2.5-flash", "Stream then fail", maxTokens(40))) {
              consume(stream);
            } catch (RuntimeException e) {
              printError(e);
            }
          }
        }
      }
      case "errors" -> { // blocking, async and streaming; the mock scripts the errors
        try (Client client = gemini(false)) {
          try {
            client.models.generateContent("gemini-2.5-flash", "Hi", null);
          } catch (ApiException e) {
            printError(e);
          }
          try {
            client.async.models.generateContent("gemini-2.5-flash", "Hi", null).join();
          } catch (CompletionException e) {
            printError(e.getCause());
          }
          try {
            client.models.generateContentStream("gemini-2.5-flash", "Hi", null).close();
          } catch (ApiException e) {
            printError(e);
          }
        }
      }
      case "continuation" -> { // 2.x continues a generation cut with finishReason CONTINUATION in a new request
        try (Client client = gemini(false)) {
          print(client.models.generateContent("gemini-2.5-flash", "Continue me", maxTokens(20)));
          try (ResponseStream<GenerateContentResponse> stream =
              client.models.generateContentStream("gemini-2.5-flash", "Continue me streaming", maxTokens(20))) {
            consume(stream);
          }
        }
      }
      case "retry" -> {
        try (Client client = gemini(true)) {
          print(client.models.generateContent("gemini-2.5-flash", "Retried", maxTokens(5)));
        }
      }
      case "afc-sync", "afc-async" -> {
        Method weather = GenAiScenarios.class.getMethod("weather", String.class);
        GenerateContentConfig config =
            GenerateContentConfig.builder().tools(Tool.builder().functions(weather).build()).build();
        try (Client client = gemini(false)) {
          GenerateContentResponse r =
              scenario.equals("afc-sync")
                  ? client.models.generateContent("gemini-2.5-flash", "Weather in Paris?", config)
                  : client.async.models.generateContent("gemini-2.5-flash", "Weather in Paris?", config).join();
          print(r);
          System.out.println(
              "RESULT afc_history=" + r.automaticFunctionCallingHistory().map(List::size).orElse(0));
        }
      }
      case "embed-gemini" -> {
        try (Client client = gemini(false)) {
          printEmbeddings(client.models.embedContent("gemini-embedding-001", List.of("alpha", "beta"), null));
        }
      }
      case "embed-vertex", "embed-vertex-async" -> {
        try (Client client = vertex("us-central1")) {
          List<String> texts = List.of("hello embeddings", "second text");
          printEmbeddings(
              scenario.equals("embed-vertex")
                  ? client.models.embedContent("gemini-embedding-001", texts, null)
                  : client.async.models.embedContent("gemini-embedding-001", texts, null).join());
        }
      }
      case "vertex-generate" -> {
        try (Client client = vertex("europe-west4")) {
          print(client.models.generateContent("gemini-2.5-pro", "A very long prompt", maxTokens(20)));
        }
      }
      case "vertex-global", "vertex-regional" -> {
        try (Client client = vertex(scenario.equals("vertex-global") ? "global" : "europe-west4")) {
          print(client.models.generateContent("gemini-3.5-flash", "Where am I billed?", maxTokens(20)));
        }
      }
      case "vertex-stream-async" -> {
        try (Client client = vertex("us-central1");
            ResponseStream<GenerateContentResponse> stream =
                client.async.models.generateContentStream("gemini-2.5-flash", "Vertex stream", maxTokens(6)).join()) {
          consume(stream);
        }
      }
      case "attributed" -> {
        try (Client client = gemini(false)) {
          try (AiCostScope scope = AiCost.attribute().team("search").feature("answers").customer("acme").open()) {
            print(client.models.generateContent("gemini-2.5-flash", "Attributed", maxTokens(5)));
            CompletableFuture<GenerateContentResponse> f =
                client.async.models.generateContent("gemini-2.5-flash", "Attributed async", maxTokens(5));
            print(f.join());
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  private static void consume(ResponseStream<GenerateContentResponse> stream) {
    int chunks = 0;
    StringBuilder text = new StringBuilder();
    GenerateContentResponse last = null;
    for (GenerateContentResponse chunk : stream) {
      chunks++;
      text.append(chunk.text() == null ? "" : chunk.text());
      last = chunk;
    }
    System.out.println("RESULT chunks=" + chunks);
    System.out.println("RESULT text_length=" + text.length());
    if (last != null) {
      print(last);
    }
  }

  private static void print(GenerateContentResponse r) {
    System.out.println("RESULT response_id=" + r.responseId().orElse(""));
    System.out.println("RESULT model_version=" + r.modelVersion().orElse(""));
    System.out.println("RESULT text=" + (r.text() == null ? "" : r.text()));
    r.usageMetadata().ifPresent(u -> {
      System.out.println("RESULT prompt_tokens=" + u.promptTokenCount().orElse(0));
      System.out.println("RESULT candidates_tokens=" + u.candidatesTokenCount().orElse(0));
    });
  }

  private static void printEmbeddings(EmbedContentResponse r) {
    System.out.println("RESULT embeddings=" + r.embeddings().map(List::size).orElse(0));
  }

  private static void printError(Throwable e) {
    if (e instanceof ApiException) {
      System.out.println("RESULT error_code=" + ((ApiException) e).code());
    }
    System.out.println("RESULT error_class=" + e.getClass().getName());
  }
}
