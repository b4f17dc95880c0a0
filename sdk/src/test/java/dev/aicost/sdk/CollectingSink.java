package dev.aicost.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every cost and task record, and the thread each cost record was handed over on (by response id). */
final class CollectingSink implements CostRecordSink {

  final List<CostRecord> records = new CopyOnWriteArrayList<>();
  final List<TaskRecord> tasks = new CopyOnWriteArrayList<>();
  final Map<String, String> threads = new ConcurrentHashMap<>();

  @Override
  public void accept(CostRecord record) {
    if (record.responseId() != null) {
      threads.put(record.responseId(), Thread.currentThread().getName());
    }
    records.add(record);
  }

  @Override
  public void acceptTask(TaskRecord record) {
    tasks.add(record);
  }
}
