package com.mexcpipe.verif;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mexcpipe.common.Json;
import com.mexcpipe.common.cli.ExitCodes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a verif command found: a table of rows and a list of checks; printed for people or as JSON. */
final class Report {
    record Check(String name, boolean ok, String detail, boolean warning) {
    }

    private final String command;
    private final List<String> columns;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Report(String command, String... columns) {
        this.command = command;
        this.columns = List.of(columns);
    }

    Map<String, Object> row() {
        Map<String, Object> r = new LinkedHashMap<>();
        rows.add(r);
        return r;
    }

    void check(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail, false));
    }

    /** Shown, but does not fail the command. */
    void warn(String name, String detail) {
        checks.add(new Check(name, true, detail, true));
    }

    void note(String text) {
        notes.add(text);
    }

    boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    int exitCode() {
        return ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    void print(PrintStream out, boolean json) throws java.io.IOException {
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("command", command);
            root.put("ok", ok());
            ArrayNode rs = root.putArray("rows");
            for (Map<String, Object> r : rows) {
                rs.add(Json.MAPPER.valueToTree(r));
            }
            ArrayNode cs = root.putArray("checks");
            for (Check c : checks) {
                ObjectNode n = cs.addObject();
                n.put("name", c.name());
                n.put("ok", c.ok());
                n.put("warning", c.warning());
                n.put("detail", c.detail());
            }
            root.set("notes", Json.MAPPER.valueToTree(notes));
            out.println(Json.MAPPER.writeValueAsString(root));
            return;
        }
        if (!rows.isEmpty()) {
            int[] w = new int[columns.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = columns.get(i).length();
                for (Map<String, Object> r : rows) {
                    w[i] = Math.max(w[i], text(r.get(columns.get(i))).length());
                }
            }
            StringBuilder head = new StringBuilder();
            for (int i = 0; i < w.length; i++) {
                head.append(pad(columns.get(i).toUpperCase(java.util.Locale.ROOT), w[i])).append("  ");
            }
            out.println(head.toString().stripTrailing());
            for (Map<String, Object> r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < w.length; i++) {
                    line.append(pad(text(r.get(columns.get(i))), w[i])).append("  ");
                }
                out.println(line.toString().stripTrailing());
            }
            out.println();
        }
        for (String n : notes) {
            out.println(n);
        }
        for (Check c : checks) {
            out.printf("%-4s %s%s%n", c.warning() ? "WARN" : c.ok() ? "OK" : "FAIL", c.name(),
                    c.detail() == null || c.detail().isEmpty() ? "" : ": " + c.detail());
        }
        out.println(ok() ? "verif " + command + ": all checks passed" : "verif " + command + ": FAILED");
    }

    private static String text(Object o) {
        return o == null ? "-" : o.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
