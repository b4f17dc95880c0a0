package dev.aicost.bootstrap;

/**
 * What is known about an AI call before it is sent. A mutable builder: fill it, pass it to
 * {@link AiCallBridge#start}, and drop it.
 */
public final class AiCallStart {

  private final String provider;
  private final String operation;
  private String requestModel;
  private boolean stream;
  private String serverAddress;
  private int serverPort = -1;
  private String requestServiceTier;
  private String region;
  private String kind = "llm";

  private AiCallStart(String provider, String operation) {
    this.provider = provider;
    this.operation = operation;
  }

  /**
   * @param provider {@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, {@code aws.bedrock}, ...
   * @param operation {@code gen_ai.operation.name}: {@code chat}, {@code embeddings}, ...
   */
  public static AiCallStart of(String provider, String operation) {
    return new AiCallStart(provider, operation);
  }

  public AiCallStart requestModel(String requestModel) {
    this.requestModel = requestModel;
    return this;
  }

  public AiCallStart stream(boolean stream) {
    this.stream = stream;
    return this;
  }

  public AiCallStart server(String address, int port) {
    this.serverAddress = address;
    this.serverPort = port;
    return this;
  }

  /** The service tier asked for ({@code default}, {@code flex}, {@code priority}, ...); the response's wins. */
  public AiCallStart requestServiceTier(String tier) {
    this.requestServiceTier = tier;
    return this;
  }

  public AiCallStart region(String region) {
    this.region = region;
    return this;
  }

  /** {@code llm} (default) or {@code gpu}. */
  public AiCallStart kind(String kind) {
    this.kind = kind;
    return this;
  }

  public String provider() {
    return provider;
  }

  public String operation() {
    return operation;
  }

  public String requestModel() {
    return requestModel;
  }

  public boolean stream() {
    return stream;
  }

  public String serverAddress() {
    return serverAddress;
  }

  /** The port, or -1 when unknown. */
  public int serverPort() {
    return serverPort;
  }

  public String requestServiceTier() {
    return requestServiceTier;
  }

  public String region() {
    return region;
  }

  public String kind() {
    return kind;
  }
}
