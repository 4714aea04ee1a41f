package kr.go.procurement.testsupport;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Keys that Kafka's default partitioner puts on the same partition as a given key. Records of one partition are
 * written, read and applied in order, so a later record there is a marker: once it has been seen (or applied), so
 * has every earlier one, and "nothing more came" can be asserted without waiting for a while.
 */
public final class SamePartition {

  private SamePartition() {
  }

  /** The partition the default partitioner chooses for {@code key} among {@code partitions}. */
  public static int of(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The first of {@code prefix-0}, {@code prefix-1}, ... that lands on {@code key}'s partition. */
  public static String keyLike(String key, int partitions, String prefix) {
    int target = of(key, partitions);
    for (int i = 0; ; i++) {
      String candidate = prefix + "-" + i;
      if (of(candidate, partitions) == target) {
        return candidate;
      }
    }
  }

  /** The first of {@code prefix-0}, {@code prefix-1}, ... that lands on {@code partition}. */
  public static String keyOn(int partition, int partitions, String prefix) {
    for (int i = 0; ; i++) {
      String candidate = prefix + "-" + i;
      if (of(candidate, partitions) == partition) {
        return candidate;
      }
    }
  }
}
