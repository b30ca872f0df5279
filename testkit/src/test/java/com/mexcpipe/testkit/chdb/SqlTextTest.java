package com.mexcpipe.testkit.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.mexcpipe.testkit.chdb.SqlText.InsertKind;
import com.mexcpipe.testkit.chdb.SqlText.InsertShape;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlTextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int second(String sql) {
        return SqlText.secondStatement(b(sql), b(sql).length);
    }

    private static InsertShape shape(String sql) {
        return SqlText.insertShape(b(sql), b(sql).length);
    }

    @Test
    void oneStatementWithOptionalTrailingSemicolons() {
        assertThat(second("SELECT 1")).isEqualTo(-1);
        assertThat(second("SELECT 1;")).isEqualTo(-1);
        assertThat(second("SELECT 1 ; ;\n -- done\n /* c */ # x\n")).isEqualTo(-1);
    }

    @Test
    void aSecondStatementIsFound() {
        assertThat(second("SELECT 1; SELECT 2")).isEqualTo(8);
        assertThat(second("INSERT INTO t VALUES ('a;b'), ('c'); DROP TABLE t")).isEqualTo(35);
    }

    @Test
    void semicolonsInsideQuotesAndCommentsDoNotCount() {
        assertThat(second("SELECT ';', \";\", `;` -- ; x\n")).isEqualTo(-1);
        assertThat(second("SELECT 'it''s; \\' ; still' /* ; /* nested ; */ ; */ FROM t")).isEqualTo(-1);
        assertThat(second("SELECT 1 #! ; shebang\n")).isEqualTo(-1);
    }

    @Test
    void firstKeywordSkipsCommentsAndSpace() {
        byte[] sql = b("  -- hi\n /* x */ set max_threads = 1");
        assertThat(SqlText.firstKeyword(sql, sql.length)).isEqualTo("SET");
        assertThat(SqlText.firstKeyword(b(""), 0)).isEmpty();
    }

    @Test
    void insertWithFormatSplitsAfterTheFormatLine() {
        String sql = "INSERT INTO db.t (a, format) SETTINGS async_insert = 0 FORMAT RowBinary\n\n\nDATA";
        InsertShape s = shape(sql);
        assertThat(s.kind()).isEqualTo(InsertKind.FORMAT);
        assertThat(s.format()).isEqualTo("RowBinary");
        assertThat(sql.substring(0, s.headEnd())).isEqualTo("INSERT INTO db.t (a, format) ");
        assertThat(sql.substring(s.settingsStart(), s.settingsEnd())).isEqualTo("SETTINGS async_insert = 0 ");
        assertThat(sql.substring(s.dataStart())).isEqualTo("\n\nDATA"); // exactly one newline is the separator
    }

    @Test
    void insertValuesAndFormatValues() {
        InsertShape v = shape("insert into `values` values ('FORMAT x')");
        assertThat(v.kind()).isEqualTo(InsertKind.VALUES);
        assertThat(v.headEnd()).isEqualTo("insert into `values` ".length());
        assertThat(shape("INSERT INTO t FORMAT Values (1)").kind()).isEqualTo(InsertKind.VALUES);
        assertThat(shape("INSERT INTO format FORMAT TSV\n1").format()).isEqualTo("TSV");
    }

    @Test
    void insertSelectAndInfileRunAsTheyAre() {
        assertThat(shape("INSERT INTO t SELECT * FROM s FORMAT TSV").kind()).isEqualTo(InsertKind.OTHER);
        assertThat(shape("INSERT INTO t (a) WITH 1 AS x SELECT x").kind()).isEqualTo(InsertKind.OTHER);
        assertThat(shape("INSERT INTO t FROM INFILE 'f' FORMAT TSV").kind()).isEqualTo(InsertKind.OTHER);
        assertThat(shape("SELECT 1").kind()).isEqualTo(InsertKind.OTHER);
    }

    @Test
    void formatClauseOfAQuery() {
        assertThat(SqlText.formatClause(b("SELECT 1 FORMAT JSON"), 20)).isEqualTo("JSON");
        String s = "SELECT format('{}', 1) AS format FROM t FORMAT CSV SETTINGS max_threads = 1";
        assertThat(SqlText.formatClause(b(s), s.length())).isEqualTo("CSV");
        String t = "SELECT x AS format FROM t";
        assertThat(SqlText.formatClause(b(t), t.length())).isNull();
    }
}
