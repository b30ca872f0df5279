package com.mexcpipe.testkit.chdb;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The part of libchdb's C API (chdb.h, 26.5) the endpoint uses, bound through JNA. {@code size_t} is {@code long} on
 * LP64. Every call must go through {@link ChdbEngine}, which serializes them and repairs the JVM's signal handlers
 * afterwards.
 */
interface LibChdb extends Library {
    /** Returns a {@code chdb_connection*}; dereference it for the connection, keep it for {@link #chdb_close_conn}. */
    Pointer chdb_connect(int argc, String[] argv);

    void chdb_close_conn(Pointer connectionPointer);

    Pointer chdb_query_n(Pointer conn, byte[] query, long queryLen, byte[] format, long formatLen);

    Pointer chdb_query_with_params_n(Pointer conn, byte[] query, long queryLen, byte[] format, long formatLen,
            Pointer[] names, long[] nameLens, Pointer[] values, long[] valueLens, long count);

    /** {@code const char*}, NULL when the query succeeded; decoded as UTF-8 by the caller. */
    Pointer chdb_result_error(Pointer result);

    Pointer chdb_result_buffer(Pointer result);

    long chdb_result_length(Pointer result);

    /** Rows of the result (chDB's "rows read" counts what the query returned). */
    long chdb_result_rows_read(Pointer result);

    /** Rows read from storage. */
    long chdb_result_storage_rows_read(Pointer result);

    long chdb_result_storage_bytes_read(Pointer result);

    long chdb_result_bytes_read(Pointer result);

    long chdb_result_rows_written(Pointer result);

    long chdb_result_bytes_written(Pointer result);

    double chdb_result_elapsed(Pointer result);

    void chdb_destroy_query_result(Pointer result);
}
