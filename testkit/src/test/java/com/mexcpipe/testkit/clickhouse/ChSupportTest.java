package com.mexcpipe.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zero-loss check itself: a repeated batch is judged in arrival order, not in event-time order. */
class ChSupportTest {
    // Arrival order; a depth row's event time lies before the deal that arrived just ahead of it.
    private final List<Row> sent = List.of(
            new Row(100, RowType.DEAL, "1|1|1"),
            new Row(110, RowType.DEAL, "2|1|1"),
            new Row(105, RowType.DEPTH, "a"),
            new Row(120, RowType.DEAL, "3|1|1"),
            new Row(115, RowType.DEPTH, "b"),
            new Row(130, RowType.DEAL, "4|1|1"));

    private List<Row> storedWithRepeat(int from, int to) {
        List<Row> stored = new ArrayList<>(sent);
        stored.addAll(sent.subList(from, to));
        return stored;
    }

    @Test
    void aBatchThatIsContiguousOnArrivalButNotInEventTimePasses() {
        // rows 1..3 (ts 110, 105, 120) are one batch; in ts order the row at 115 (not repeated) falls inside it
        assertThatCode(() -> ChSupport.assertNoLossAtMostOneBatchRepeated(storedWithRepeat(1, 4), sent))
                .doesNotThrowAnyException();
    }

    @Test
    void repeatsThatAreNotOneRunOfArrivalsFail() {
        List<Row> stored = new ArrayList<>(sent);
        stored.add(sent.get(0));
        stored.add(sent.get(3));
        assertThatThrownBy(() -> ChSupport.assertNoLossAtMostOneBatchRepeated(stored, sent))
                .hasMessageContaining("contiguous batch");
    }

    @Test
    void aLostRowFails() {
        List<Row> stored = new ArrayList<>(sent.subList(0, 5));
        assertThatThrownBy(() -> ChSupport.assertNoLossAtMostOneBatchRepeated(stored, sent))
                .hasMessageContaining("rows lost");
    }

    @Test
    void aRowNeverSentFails() {
        List<Row> stored = new ArrayList<>(sent);
        stored.add(new Row(140, RowType.TICKER, "x"));
        assertThatThrownBy(() -> ChSupport.assertNoLossAtMostOneBatchRepeated(stored, sent))
                .hasMessageContaining("never sent");
    }
}
