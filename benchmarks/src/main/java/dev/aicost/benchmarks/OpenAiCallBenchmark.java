package dev.aicost.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.aicost.benchmarks.paired.ClientCalls;
import dev.aicost.testing.MockOpenAiServer;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One real openai-java chat completion, blocking and streamed, against {@link MockOpenAiServer} in the same JVM on
 * loopback: the whole client (request serialization, OkHttp, the mock's reply, response parsing). Measured as a
 * distribution of single calls (percentiles). Run it through {@link AgentOverhead}, which forks it once without and
 * once with {@code -javaagent:aicost-javaagent.jar} and reports the difference; on its own it runs without the agent.
 *
 * <p>When the system property {@value #OTLP_SINK_PORT} is set (the runner sets it, and points the agent's OTLP
 * exporter there), an {@link OtlpNullSink} listens on that port in this JVM so that the agent exports for real.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class OpenAiCallBenchmark {

  public static final String OTLP_SINK_PORT = "aicost.bench.otlp-sink-port";

  private MockOpenAiServer server;
  private OtlpNullSink sink;
  private OpenAIClient client;
  private ChatCompletionCreateParams chat;
  private ChatCompletionCreateParams stream;

  @Setup(Level.Trial)
  public void setUp() {
    server = MockOpenAiServer.start();
    String port = System.getProperty(OTLP_SINK_PORT);
    if (port != null) {
      sink = OtlpNullSink.start(Integer.parseInt(port));
    }
    client = OpenAIOkHttpClient.builder().apiKey("sk-bench").baseUrl(server.baseUrl()).maxRetries(0).build();
    chat = ClientCalls.chatParams();
    stream = ClientCalls.streamParams();
  }

  /** The mock remembers requests for tests; forget them so a long run does not grow the heap. */
  @TearDown(Level.Iteration)
  public void forgetRequests() {
    server.reset();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.close();
    if (sink != null) {
      System.out.printf("%n[OpenAiCallBenchmark] OTLP exports received: %,d (%,d bytes)%n", sink.requests(), sink.bytes());
      sink.close();
    }
  }

  @Benchmark
  public ChatCompletion chatSync() {
    return client.chat().completions().create(chat);
  }

  @Benchmark
  public void chatStreaming(Blackhole bh) {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(stream)) {
      Iterator<ChatCompletionChunk> it = s.stream().iterator();
      while (it.hasNext()) {
        bh.consume(it.next());
      }
    }
  }
}
