package dev.aicost.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: left-aligned text columns, right-aligned numeric columns, two spaces between. */
final class TextTable {

  private final String[] headers;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers ending in {@code >} are right-aligned (the marker is not printed). */
  TextTable(String... headers) {
    this.headers = new String[headers.length];
    this.rightAligned = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      boolean right = headers[i].endsWith(">");
      this.rightAligned[i] = right;
      this.headers[i] = right ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
    }
  }

  TextTable row(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
    }
    rows.add(cells);
    return this;
  }

  void print(PrintStream out, String indent) {
    int[] width = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      width[i] = headers[i].length();
    }
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    line(out, indent, headers, width);
    for (String[] r : rows) {
      line(out, indent, r, width);
    }
  }

  private void line(PrintStream out, String indent, String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String c = cells[i];
      int pad = width[i] - c.length();
      if (rightAligned[i]) {
        repeat(sb, pad);
        sb.append(c);
      } else {
        sb.append(c);
        if (i < cells.length - 1) {
          repeat(sb, pad);
        }
      }
    }
    out.println(stripTrailing(sb));
  }

  private static void repeat(StringBuilder sb, int n) {
    for (int i = 0; i < n; i++) {
      sb.append(' ');
    }
  }

  private static String stripTrailing(StringBuilder sb) {
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    return sb.substring(0, end);
  }
}
