package dev.aicost.sdk;

/**
 * Receives every completed call after it is priced: the JSONL cost ledger, and later budgets and anomaly detection.
 * Called on the thread that ended the call, so an implementation must be quick and must not block (hand work to a
 * background thread); whatever it throws is caught and logged by the recorder.
 */
public interface CostRecordSink {

  void accept(CostRecord record);

  /** Receives every ended task (unit of work); the default ignores tasks. Same threading rules as calls. */
  default void acceptTask(TaskRecord record) {}

  /** Flushes what was accepted; called at shutdown. */
  default void flush() {}
}
