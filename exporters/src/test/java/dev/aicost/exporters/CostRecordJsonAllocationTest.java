package dev.aicost.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.aicost.sdk.CostRecord;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A call's ledger line is serialized without per-line garbage: the ledger writer handles every AI call of the process,
 * and its allocation counts in the recording path's budget (docs/performance.md#recording-one-call). Measured in
 * bytes, not time: the JVM's per-thread allocation counter is exact whatever the machine's load.
 */
class CostRecordJsonAllocationTest {

  @Test
  void aPricedCallsLineAllocatesAlmostNothing() throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    CostRecord record = JsonlCostLedgerTest.priced("search", 440_000_000L);
    LedgerFormat format = new LedgerFormat();
    JsonGenerator g = new JsonFactory().createGenerator(OutputStream.nullOutputStream(), JsonEncoding.UTF8);
    g.setRootValueSeparator(null);
    for (int i = 0; i < 20_000; i++) { // buffers grown, classes loaded, strings of the second cached
      CostRecordJson.write(g, record, format);
    }
    int lines = 20_000;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < lines; i++) {
      CostRecordJson.write(g, record, format);
    }
    long perLine = (threads.getCurrentThreadAllocatedBytes() - before) / lines;
    // Was ~1,200 B (a BigDecimal and two strings per amount, an EnumMap of lines, the timestamp and duration strings).
    // What is left is the iteration over the record's one custom attribute.
    assertThat(perLine).as("bytes allocated per line").isLessThanOrEqualTo(128);
  }
}
