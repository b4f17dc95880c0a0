package dev.aicost.javaagent.instrumentation.bedrock;

/** What a wrapped stream handler reports to its call; a no-op until the interceptor binds the call. */
final class StreamObserver {

  private volatile BedrockCall call;
  private volatile boolean converse;

  void bind(BedrockCall call) {
    this.call = call;
    call.streamObserved();
  }

  void converse() {
    this.converse = true;
  }

  BedrockCall call() {
    return call;
  }

  void onResponse(Object response) {
    BedrockCall c = call;
    if (c != null) {
      c.onStreamResponse(response);
    }
  }

  void onEvent(Object event) {
    BedrockCall c = call;
    if (c != null) {
      if (converse) {
        c.onConverseEvent(event);
      } else {
        c.onInvokeEvent(event);
      }
    }
  }

  void onComplete() {
    BedrockCall c = call;
    if (c != null) {
      c.onStreamComplete();
    }
  }

  void onError(Throwable error) {
    BedrockCall c = call;
    if (c != null) {
      c.fail(error);
    }
  }

  void onCancel() {
    BedrockCall c = call;
    if (c != null) {
      c.onStreamCancelled();
    }
  }
}
