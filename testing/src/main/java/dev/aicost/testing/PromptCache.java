package dev.aicost.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** OpenAI-like automatic prompt caching: remembers long prompts per model and finds shared prefixes. */
final class PromptCache {
  private static final int MAX_PROMPTS_PER_MODEL = 256;

  private final Map<String, Deque<List<String>>> byModel = new HashMap<>();

  /**
   * Returns the longest token prefix that {@code prompt} shares with a remembered prompt of {@code model}, then
   * remembers {@code prompt} if it is long enough to be cached.
   */
  synchronized long lookupAndStore(String model, List<String> prompt) {
    Deque<List<String>> prompts = byModel.computeIfAbsent(model, m -> new ArrayDeque<>());
    long best = 0;
    for (List<String> previous : prompts) {
      best = Math.max(best, commonPrefix(previous, prompt));
    }
    if (prompt.size() >= UsageFormula.CACHE_MIN_PREFIX_TOKENS) {
      prompts.addFirst(List.copyOf(prompt));
      while (prompts.size() > MAX_PROMPTS_PER_MODEL) {
        prompts.removeLast();
      }
    }
    return best;
  }

  synchronized void clear() {
    byModel.clear();
  }

  private static int commonPrefix(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    int i = 0;
    while (i < n && a.get(i).equals(b.get(i))) {
      i++;
    }
    return i;
  }
}
