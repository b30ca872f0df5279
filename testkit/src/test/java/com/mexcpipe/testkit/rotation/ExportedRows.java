package com.mexcpipe.testkit.rotation;

import com.mexcpipe.common.Row;
import com.mexcpipe.common.RowType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import com.mexcpipe.testkit.soak.Accounting;

/** Reads export files back with DuckDB (an independent Parquet reader) and does the zero-loss bookkeeping. */
public final class ExportedRows {
    private ExportedRows() {
    }

    /** Every row of every {@code *.parquet} in {@code dir}, via DuckDB; ts checked to be a UTC timestamp. */
    public static List<Row> read(Path dir) throws Exception {
        List<Row> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Path f : files) {
                try (PreparedStatement ps = c.prepareStatement("SELECT ts, mt, m FROM read_parquet(?)")) {
                    ps.setString(1, f.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            OffsetDateTime ts = rs.getObject(1, OffsetDateTime.class);
                            out.add(new Row(ts.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toEpochMilli(),
                                    RowType.ofLabel(rs.getString(2)), rs.getString(3)));
                        }
                    }
                }
            }
        }
        return out;
    }

    public static Accounting account(List<Row> sent, List<Row> found) {
        return Accounting.of(sent, found);
    }
}
