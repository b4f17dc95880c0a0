package dev.aicost.testing;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the scripted replies ({@link MockReply}, {@link AnthropicReply}, ...). */
final class ReplyChecks {
  private ReplyChecks() {}

  /** {@code status} if it is an HTTP error status (4xx or 5xx); else an {@link IllegalArgumentException}. */
  static int errorStatus(int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be 4xx or 5xx, was " + status);
    }
    return status;
  }

  /** {@code events} if it is a valid count of streamed events to write before a cut or an error (>= 0). */
  static int eventCount(int events) {
    if (events < 0) {
      throw new IllegalArgumentException("events must be >= 0, was " + events);
    }
    return events;
  }

  /** {@code duration} if it is not null and not negative. */
  static Duration nonNegative(Duration duration) {
    if (Objects.requireNonNull(duration).isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    return duration;
  }
}
