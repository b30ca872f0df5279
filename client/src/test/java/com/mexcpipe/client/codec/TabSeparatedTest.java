package com.mexcpipe.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.common.RowType;
import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TabSeparatedTest {
    @Test
    void escapesLikeClickHouseTsvOutput() throws IOException {
        // expected text taken from ClickHouse 26.5 (libchdb): SELECT concat('a',char(9),'b',...) FORMAT TabSeparated
        String m = "a\tb\nc\rd\\e'f\0g\bh\fi\"j\u007fkü";
        StringWriter w = new StringWriter();
        TabSeparated.writeRow(w, 1759321623301L, RowType.RAW, m);
        assertThat(w.toString()).isEqualTo("1759321623301\tdl\ta\\tb\\nc\\rd\\\\e\\'f\\0g\\bh\\fi\"j\u007fkü\n");
        assertThat(TabSeparated.unescape("a\\tb\\nc\\rd\\\\e\\'f\\0g\\bh\\fi\"j\u007fkü")).isEqualTo(m);
    }
}
