package dev.aicost.bootstrap;

final class NoopAiCallHandle implements AiCallHandle {

  @Override
  public AiCallHandle responseModel(String model) {
    return this;
  }

  @Override
  public AiCallHandle responseId(String id) {
    return this;
  }

  @Override
  public AiCallHandle finishReason(String reason) {
    return this;
  }

  @Override
  public AiCallHandle responseServiceTier(String tier) {
    return this;
  }

  @Override
  public AiCallHandle usage(long inputTokens, long outputTokens) {
    return this;
  }

  @Override
  public AiCallHandle cacheReadTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle cacheWrite5mTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle cacheWrite1hTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle reasoningTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle audioInputTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle audioOutputTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle imageInputTokens(long tokens) {
    return this;
  }

  @Override
  public AiCallHandle webSearchCalls(long calls) {
    return this;
  }

  @Override
  public AiCallHandle usageUnavailable(String reason) {
    return this;
  }

  @Override
  public void end() {}

  @Override
  public void fail(Throwable error, String errorType) {}

  @Override
  public void cancel(String reason) {}
}
